import { log, proxyActivities } from '@temporalio/workflow';
import { summarizeJanitorRun } from '../src/janitor/janitor-summary';
import type { FailedTeardown, JanitorActivities, JanitorInput, JanitorSummary, OrphanCandidate, OrphanTeardown } from './contract';
import { describeFailure } from './failure-description';

// The orphan-namespace janitor, started by a Temporal Schedule (src/worker/janitor-schedule.ts).
// It finds previewd namespaces no workflow owns and tears each one down in its own retried
// activity. It is a safety net, not the lifecycle's teardown: bounded retries suffice, because
// the next scheduled run tries again, and one namespace failing never stops the others.

// A few at a time: each teardown mostly waits (Argo CD prune, namespace finalisation).
const CONCURRENCY = 4;

const { scanForOrphans } = proxyActivities<JanitorActivities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5 },
});

const { tearDownOrphan } = proxyActivities<JanitorActivities>({
  // The teardown waits out Argo CD's finalizers and the namespace deletion, each with a deadline inside.
  startToCloseTimeout: '30m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 3 },
});

async function tearDown(orphan: OrphanCandidate, retentionMs: number): Promise<OrphanTeardown | FailedTeardown> {
  try {
    return await tearDownOrphan({ orphan, retentionMs });
  } catch (err) {
    const failure = describeFailure(err);
    log.warn('janitor: teardown failed', { namespace: orphan.namespace, error: failure.message, type: failure.type });
    return { namespace: orphan.namespace, error: failure.type ? `${failure.type}: ${failure.message}` : failure.message };
  }
}

export async function previewJanitor(input: JanitorInput): Promise<JanitorSummary> {
  const scan = await scanForOrphans({ retentionMs: input.retentionMs });
  const teardowns: (OrphanTeardown | FailedTeardown)[] = [];
  if (!input.dryRun) {
    for (let i = 0; i < scan.orphans.length; i += CONCURRENCY) {
      const batch = scan.orphans.slice(i, i + CONCURRENCY);
      teardowns.push(...(await Promise.all(batch.map((orphan) => tearDown(orphan, input.retentionMs)))));
    }
  }
  const summary = summarizeJanitorRun(input, scan, teardowns);
  log.info('janitor: run finished', {
    dryRun: summary.dryRun,
    found: summary.found,
    deleted: summary.deleted.length,
    wouldDelete: summary.wouldDelete.length,
    skipped: summary.skippedByReason,
    failed: summary.failed.length,
  });
  return summary;
}
