import { durationMs } from '../config/durations';
import { lifecycleConfigSchema, type LifecycleConfig, type LifecycleOptions } from '../config/repository';

// Operator knobs of the workflow itself (the config's `lifecycle` section). They travel in the
// workflow input, so a run keeps the values it started with, also across continue-as-new; the
// defaults come from the schema, for inputs that leave keys out.

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

export const DEFAULT_LIFECYCLE_OPTIONS: LifecycleConfig = Object.freeze(lifecycleConfigSchema.parse({}));

/** Checks the options with the config's schema; an unusable value throws a message naming the field. */
export function resolveLifecycleOptions(options: LifecycleOptions = {}): ResolvedLifecycleOptions {
  const parsed = lifecycleConfigSchema.safeParse(options);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
  const o = parsed.data;
  return {
    readinessTimeoutMs: durationMs(o.readinessTimeout),
    readinessSliceMs: durationMs(o.readinessSlice),
    continueAsNewAfterEvents: o.continueAsNewAfterEvents,
    deliveryMemory: o.deliveryMemory,
    recentEvents: o.recentEvents,
    retainAfterTeardownMs: durationMs(o.retainAfterTeardown),
    reportRetryMs: durationMs(o.reportRetry),
    reportRetryMaxMs: Math.max(durationMs(o.reportRetry), durationMs(o.reportRetryMax)),
  };
}
