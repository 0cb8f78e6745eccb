import type { OrphanCandidate } from './orphan-candidate';
import type { SkippedNamespace, SkipReason } from './skip-reason';

// What one janitor run did. The workflow returns it (visible in the Temporal UI as the run's
// result), so it names namespaces and reasons and nothing secret.

/** The schedule's argument to each janitor run. */
export interface JanitorInput {
  /** Namespaces younger than this are never touched. */
  readonly retentionMs: number;
  /** Report what would be deleted, delete nothing. */
  readonly dryRun: boolean;
}

export interface OrphanScan {
  /** Previewd namespaces of this installation (prefix and managed-by label) that were examined. */
  readonly found: number;
  readonly orphans: readonly OrphanCandidate[];
  readonly skipped: readonly SkippedNamespace[];
}

export type OrphanTeardown =
  | { readonly outcome: 'deleted'; readonly namespace: string; readonly deletedApplications: readonly string[]; readonly deletedRoutes: readonly string[] }
  /** Gone before the teardown got to it: nothing to do, nothing counted. */
  | { readonly outcome: 'gone'; readonly namespace: string }
  | ({ readonly outcome: 'skipped' } & SkippedNamespace);

export interface FailedTeardown {
  readonly namespace: string;
  readonly error: string;
}

export interface JanitorSummary {
  readonly dryRun: boolean;
  readonly found: number;
  readonly deleted: readonly string[];
  /** Confirmed orphans that were gone by the time their teardown ran (deleted by someone else, or by an earlier attempt). */
  readonly gone: readonly string[];
  /** Dry run: the confirmed orphans a real run would tear down. */
  readonly wouldDelete: readonly string[];
  readonly skipped: readonly SkippedNamespace[];
  readonly skippedByReason: Partial<Record<SkipReason, number>>;
  readonly failed: readonly FailedTeardown[];
}

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
