import { requirePositiveDuration } from './duration';

// Operator knobs of the workflow itself (not per repository). They travel in the workflow
// input, so a run keeps the values it started with, also across continue-as-new.

export interface LifecycleOptions {
  /** How long one rollout phase may take to become ready before the preview is Degraded. */
  readonly readinessTimeout?: string;
  /**
   * Longest single readiness wait. The workflow waits in slices so that a newer head SHA is
   * noticed within one slice instead of after the whole readiness deadline.
   */
  readonly readinessSlice?: string;
  /** Continue-as-new after this many handled messages, even if the server has not suggested it. */
  readonly continueAsNewAfterEvents?: number;
  /** How many delivery ids are remembered for redelivery detection. */
  readonly deliveryMemory?: number;
  /** How many recent events the status query keeps. */
  readonly recentEvents?: number;
}

export interface ResolvedLifecycleOptions {
  readonly readinessTimeoutMs: number;
  readonly readinessSliceMs: number;
  readonly continueAsNewAfterEvents: number;
  readonly deliveryMemory: number;
  readonly recentEvents: number;
}

export const DEFAULT_LIFECYCLE_OPTIONS: Required<LifecycleOptions> = {
  readinessTimeout: '15m',
  readinessSlice: '1m',
  continueAsNewAfterEvents: 1_000,
  deliveryMemory: 500,
  recentEvents: 25,
};

function positiveInteger(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${field}: ${value} must be a positive integer`);
  return value;
}

export function resolveLifecycleOptions(options: LifecycleOptions = {}): ResolvedLifecycleOptions {
  const o = { ...DEFAULT_LIFECYCLE_OPTIONS, ...options };
  return {
    readinessTimeoutMs: requirePositiveDuration('readinessTimeout', o.readinessTimeout),
    readinessSliceMs: requirePositiveDuration('readinessSlice', o.readinessSlice),
    continueAsNewAfterEvents: positiveInteger('continueAsNewAfterEvents', o.continueAsNewAfterEvents),
    deliveryMemory: positiveInteger('deliveryMemory', o.deliveryMemory),
    recentEvents: positiveInteger('recentEvents', o.recentEvents),
  };
}
