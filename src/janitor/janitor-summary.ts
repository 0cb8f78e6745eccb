import type { FailedTeardown, JanitorInput, JanitorSummary, OrphanScan, OrphanTeardown, SkippedNamespace, SkipReason } from '../../workflows/contract';

// What one janitor run did (JanitorSummary, workflows/contract). The workflow returns it
// (visible in the Temporal UI as the run's result), so it names namespaces and reasons and
// nothing secret.

/** Folds the scan and the per-namespace outcomes into the run's result. */
export function summarizeJanitorRun(input: JanitorInput, scan: OrphanScan, teardowns: readonly (OrphanTeardown | FailedTeardown)[]): JanitorSummary {
  const skipped: SkippedNamespace[] = [...scan.skipped];
  const deleted: string[] = [];
  const gone: string[] = [];
  const failed: FailedTeardown[] = [];
  for (const t of teardowns) {
    if ('error' in t) failed.push(t);
    else if (t.outcome === 'deleted') deleted.push(t.namespace);
    else if (t.outcome === 'gone') gone.push(t.namespace);
    else if (t.outcome === 'skipped') skipped.push({ namespace: t.namespace, reason: t.reason, detail: t.detail });
  }
  const skippedByReason: Partial<Record<SkipReason, number>> = {};
  for (const s of skipped) skippedByReason[s.reason] = (skippedByReason[s.reason] ?? 0) + 1;
  return {
    dryRun: input.dryRun,
    found: scan.found,
    deleted,
    gone,
    wouldDelete: input.dryRun ? scan.orphans.map((o) => o.namespace) : [],
    skipped,
    skippedByReason,
    failed,
  };
}
