import { condition, patched, setHandler } from '@temporalio/workflow';
import { clusterChangedSignal, type Recheck } from './contract';
import type { Preview } from './preview';

// Waiting on the cluster without holding a worker slot: the workflow runs one short check (an
// activity that returns at once), then waits on a durable timer and checks again. The timers
// back off (pollIntervalMs doubling up to maxPollIntervalMs) so a long wait costs a few dozen
// history events, and the worker's cluster watch (src/worker/cluster-watch.ts) sends
// `clusterChanged` when an Application or the namespace of this preview changes, which ends the
// current timer early. The signal carries nothing the workflow trusts: it only means "look
// again", so duplicates from several worker replicas and late ones cost one extra check at most.

/**
 * Marks runs that wait in the workflow (checkReady, teardownStep). Runs recorded before it keep
 * the slot-holding activities (waitReady, teardown) on replay. docs/replay-policy.md lists it.
 */
export const WORKFLOW_LEVEL_WAITS = 'workflow-level-waits';

/** True for runs that wait in the workflow; false only when replaying a history from before. */
export function waitsInWorkflow(): boolean {
  return patched(WORKFLOW_LEVEL_WAITS);
}

/** Counts wake-ups; a wait ends when the count moves. Registered once per run. */
export function registerClusterWake(preview: Preview): void {
  setHandler(
    clusterChangedSignal,
    () => {
      preview.clusterChanges++;
    },
    { description: "The worker's cluster watch saw this preview's namespace change: waits on the cluster look again now." },
  );
}

/** The n-th wait (from 0) of a series of checks. */
export function recheckDelay(recheck: Recheck, n: number): number {
  return Math.min(recheck.maxAfterMs, recheck.afterMs * 2 ** Math.min(n, 20));
}

/**
 * Waits up to `ms` on a durable timer; ends early when the cluster watch signals a change or
 * `orWhen` holds. True when woken before the time was up.
 */
export async function waitForCluster(preview: Preview, ms: number, orWhen: () => boolean = () => false): Promise<boolean> {
  const seen = preview.clusterChanges;
  return condition(() => preview.clusterChanges !== seen || orWhen(), Math.max(1, ms), { summary: 'Wait for the cluster (or a cluster change)' });
}
