import type {
  ApplicationJanitorSummary,
  ApplicationScan,
  ApplicationSkipReason,
  FailedApplicationDeletion,
  OrphanApplicationDeletion,
  SkippedApplication,
  DatabaseJanitorSummary,
  DatabaseScan,
  DatabaseSkipReason,
  FailedDatabaseDrop,
  FailedTeardown,
  JanitorInput,
  JanitorSummary,
  OrphanDatabaseDrop,
  OrphanScan,
  OrphanTeardown,
  SkippedDatabase,
  SkippedNamespace,
  SkipReason,
} from '../../workflows/contract';

// What one janitor run did (JanitorSummary, workflows/contract). The workflow returns it
// (visible in the Temporal UI as the run's result), so it names namespaces and reasons and
// nothing secret.

/** Folds the scan and the per-namespace outcomes into the run's result. */
function countBy<R extends string>(items: readonly { readonly reason: R }[]): Partial<Record<R, number>> {
  const counts: Partial<Record<R, number>> = {};
  for (const item of items) counts[item.reason] = (counts[item.reason] ?? 0) + 1;
  return counts;
}

/** The database pass: what was dropped, would be dropped (dry run), skipped and failed. */
export function summarizeDatabasePass(input: JanitorInput, scan: DatabaseScan, drops: readonly (OrphanDatabaseDrop | FailedDatabaseDrop)[]): DatabaseJanitorSummary {
  const skipped: SkippedDatabase[] = [...scan.skipped];
  const dropped: string[] = [];
  const failed: FailedDatabaseDrop[] = [];
  for (const d of drops) {
    if ('error' in d) failed.push(d);
    else if (d.outcome === 'dropped') dropped.push(d.name);
    else if (d.outcome === 'skipped') skipped.push({ name: d.name, reason: d.reason, detail: d.detail });
  }
  const skippedByReason: Partial<Record<DatabaseSkipReason, number>> = countBy(skipped);
  return { found: scan.found, dropped, wouldDrop: input.dryRun ? scan.orphans.map((o) => o.name) : [], skipped, skippedByReason, failed };
}

/** The pass over leftover Applications: deleted, would be deleted (dry run), skipped, failed. */
export function summarizeApplicationPass(input: JanitorInput, scan: ApplicationScan, deletions: readonly (OrphanApplicationDeletion | FailedApplicationDeletion)[]): ApplicationJanitorSummary {
  const failed = deletions.filter((d): d is FailedApplicationDeletion => 'error' in d);
  const outcomes = deletions.filter((d): d is OrphanApplicationDeletion => !('error' in d));
  const skipped: SkippedApplication[] = [...scan.skipped, ...outcomes.flatMap((d) => (d.outcome === 'skipped' ? [{ name: d.name, reason: d.reason, detail: d.detail }] : []))];
  const skippedByReason: Partial<Record<ApplicationSkipReason, number>> = countBy(skipped);
  const deleted = outcomes.filter((d) => d.outcome === 'deleted').map((d) => d.name);
  return { found: scan.found, deleted, wouldDelete: input.dryRun ? scan.orphans.map((o) => o.name) : [], skipped, skippedByReason, failed };
}

export function summarizeJanitorRun(
  input: JanitorInput,
  scan: OrphanScan,
  teardowns: readonly (OrphanTeardown | FailedTeardown)[],
  databases?: DatabaseJanitorSummary,
  applications?: ApplicationJanitorSummary,
): JanitorSummary {
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
  const skippedByReason: Partial<Record<SkipReason, number>> = countBy(skipped);
  return {
    dryRun: input.dryRun,
    found: scan.found,
    deleted,
    gone,
    wouldDelete: input.dryRun ? scan.orphans.map((o) => o.namespace) : [],
    skipped,
    skippedByReason,
    failed,
    ...(databases && { databases }),
    ...(applications && { applications }),
  };
}
