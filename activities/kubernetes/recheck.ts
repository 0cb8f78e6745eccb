import type { Recheck } from '../../workflows/contract';
import type { ClusterSettings } from '../../src/config/cluster';

/** The cadence the workflow waits at between two checks of this cluster. */
export function recheckOf(settings: Pick<ClusterSettings, 'timeouts'>): Recheck {
  const { pollIntervalMs, maxPollIntervalMs } = settings.timeouts;
  return { afterMs: pollIntervalMs, maxAfterMs: Math.max(pollIntervalMs, maxPollIntervalMs) };
}
