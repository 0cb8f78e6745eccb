import { parseDuration } from './durations';

// The defaults of the two config sections that travel in every workflow input, the TTL policy
// and the lifecycle knobs, and the TTL's one rule across fields. Plain constants and functions,
// the one place they are written: the zod schemas of repository.ts use them (at the edge), and
// the workflow fills and checks its input with them (src/lifecycle: hand-written checks, so zod
// stays out of the workflow bundle, where every run's sandbox would instantiate it again).

/** Seed 004: 4 h idle, 24 h with the do-not-expire label, 7 d absolute. */
export const TTL_POLICY_DEFAULTS = Object.freeze({
  default: '4h',
  /** TTL when the PR carries `extendedLabel`. */
  extended: '24h',
  extendedLabel: 'preview/do-not-expire',
  /** Hard cap measured from creation; nothing (extend, label) goes past it. */
  max: '7d',
});

/** Operator knobs of the lifecycle workflow itself (the config's `lifecycle` section). */
export const LIFECYCLE_DEFAULTS = Object.freeze({
  /** How long one rollout phase may take to become ready before the preview is Degraded. */
  readinessTimeout: '15m',
  /** Longest single readiness wait: a newer head SHA is noticed within one slice. */
  readinessSlice: '1m',
  /** Continue-as-new after this many handled messages, even if the server has not suggested it. */
  continueAsNewAfterEvents: 1_000,
  /** How many delivery ids are remembered for redelivery detection. */
  deliveryMemory: 500,
  /** How many recent events the status query keeps. */
  recentEvents: 25,
  /** How long a torn-down run stays (GitHub's 3-day manual-redelivery window); `0s`: it ends after the teardown. */
  retainAfterTeardown: '3d',
  /** A report GitHub did not take is offered again after this, doubling up to `reportRetryMax`. */
  reportRetry: '1m',
  reportRetryMax: '30m',
});

/** The CI gate's defaults (`gate`): how long a round waits for the checks, and the safety-net poll between webhooks. */
export const GATE_DEFAULTS = Object.freeze({
  timeout: '1h',
  pollInterval: '2m',
});

/** `ttl.default` and `ttl.extended` may not be longer than `ttl.max`; a value that is no duration is reported by its own check. */
export function ttlLongerThanMax(ttl: { readonly default: string; readonly extended: string; readonly max: string }): { readonly key: 'default' | 'extended'; readonly message: string }[] {
  const ms = (text: string): number => {
    const parsed = parseDuration(text);
    return parsed.ok ? parsed.ms : Number.NaN;
  };
  return (['default', 'extended'] as const).filter((key) => ms(ttl[key]) > ms(ttl.max)).map((key) => ({ key, message: `ttl.${key} (${ttl[key]}) is longer than ttl.max (${ttl.max})` }));
}
