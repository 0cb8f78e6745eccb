import { durationMs } from '../config/durations';
import { LIFECYCLE_DEFAULTS } from '../config/lifecycle-defaults';
import type { LifecycleConfig, LifecycleOptions } from '../config/repository';
import { SectionReader } from './input-checks';

// Operator knobs of the workflow itself (the config's `lifecycle` section). They travel in the
// workflow input, so a run keeps the values it started with, also across continue-as-new; the
// defaults (the config schema's too) fill inputs that leave keys out.

export interface ResolvedLifecycleOptions {
  readonly readinessTimeoutMs: number;
  readonly readinessSliceMs: number;
  readonly continueAsNewAfterEvents: number;
  readonly deliveryMemory: number;
  readonly recentEvents: number;
  /** 0: the run ends right after its teardown. */
  readonly retainAfterTeardownMs: number;
  readonly reportRetryMs: number;
  readonly reportRetryMaxMs: number;
}

export const DEFAULT_LIFECYCLE_OPTIONS: LifecycleConfig = LIFECYCLE_DEFAULTS;

const OPTION_KEYS: readonly (keyof LifecycleConfig)[] = ['readinessTimeout', 'readinessSlice', 'continueAsNewAfterEvents', 'deliveryMemory', 'recentEvents', 'retainAfterTeardown', 'reportRetry', 'reportRetryMax'];

/** Checks the options by the config schema's rules; an unusable value throws a message naming the field. */
export function resolveLifecycleOptions(options: LifecycleOptions = {}): ResolvedLifecycleOptions {
  const read = new SectionReader(options, '', OPTION_KEYS);
  const resolved = {
    readinessTimeout: read.duration('readinessTimeout', LIFECYCLE_DEFAULTS.readinessTimeout),
    readinessSlice: read.duration('readinessSlice', LIFECYCLE_DEFAULTS.readinessSlice),
    continueAsNewAfterEvents: read.count('continueAsNewAfterEvents', LIFECYCLE_DEFAULTS.continueAsNewAfterEvents),
    deliveryMemory: read.count('deliveryMemory', LIFECYCLE_DEFAULTS.deliveryMemory),
    recentEvents: read.count('recentEvents', LIFECYCLE_DEFAULTS.recentEvents),
    retainAfterTeardown: read.durationOrZero('retainAfterTeardown', LIFECYCLE_DEFAULTS.retainAfterTeardown),
    reportRetry: read.duration('reportRetry', LIFECYCLE_DEFAULTS.reportRetry),
    reportRetryMax: read.duration('reportRetryMax', LIFECYCLE_DEFAULTS.reportRetryMax),
  };
  read.check();
  return {
    readinessTimeoutMs: durationMs(resolved.readinessTimeout),
    readinessSliceMs: durationMs(resolved.readinessSlice),
    continueAsNewAfterEvents: resolved.continueAsNewAfterEvents,
    deliveryMemory: resolved.deliveryMemory,
    recentEvents: resolved.recentEvents,
    retainAfterTeardownMs: durationMs(resolved.retainAfterTeardown),
    reportRetryMs: durationMs(resolved.reportRetry),
    reportRetryMaxMs: Math.max(durationMs(resolved.reportRetry), durationMs(resolved.reportRetryMax)),
  };
}
