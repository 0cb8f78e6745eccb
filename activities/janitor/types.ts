import type { OrphanCandidate, OrphanScan, OrphanTeardown } from '../../src/janitor';

// The activities the janitor workflow calls. Types only: the workflow bundle imports nothing
// else from activities/. Both are idempotent, and both decide from fresh reads, never from
// what an earlier attempt saw.

export interface ScanForOrphansInput {
  readonly retentionMs: number;
}

export interface TearDownOrphanInput {
  readonly orphan: OrphanCandidate;
  readonly retentionMs: number;
}

export interface JanitorActivities {
  /** Lists this installation's namespaces and sorts them into confirmed orphans and skips (with reasons). */
  scanForOrphans(input: ScanForOrphansInput): Promise<OrphanScan>;
  /** Re-confirms one orphan, then tears it down like the lifecycle does (Applications, routes, namespace). */
  tearDownOrphan(input: TearDownOrphanInput): Promise<OrphanTeardown>;
}
