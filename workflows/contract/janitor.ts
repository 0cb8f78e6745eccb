import type { PreviewRef } from './activities';

// The orphan janitor's contract: the schedule's input, the run's result, and the activities
// (namespaces, then preview databases) with their inputs and results. The result is visible in
// the Temporal UI, so it names namespaces, databases and reasons and nothing secret.

/**
 * Why the janitor left a previewd namespace alone. The values are Prometheus label values and
 * summary keys, so they are stable, few, and never carry names or ids (those go in `detail`).
 */
export const SKIP_REASONS = [
  /** Fails the ownership guard (prefix and managed-by label): never previewd's to delete. */
  'foreign',
  /** Already being deleted: Kubernetes finishes what someone else started. */
  'terminating',
  /** Younger than the retention window. */
  'too-young',
  /** No workflow-id annotation: nothing to confirm ownership against, so not provably orphaned. */
  'no-owner',
  /** Labels, annotation or timestamps do not describe a preview namespace previewd could have made. */
  'malformed',
  /** A running workflow owns it. */
  'owned',
  /** Visibility or describe failed: ownership could not be confirmed either way. */
  'owner-unconfirmed',
  /** The owner's latest run is in a state that is neither running nor plainly closed. */
  'owner-ambiguous',
  /** Between the scan and the teardown the namespace was recreated or re-owned. */
  'changed',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

export interface SkippedNamespace {
  readonly namespace: string;
  readonly reason: SkipReason;
  /** For people: what exactly was seen. */
  readonly detail: string;
}

/** A namespace the scan found orphaned; the teardown re-checks every field before acting. */
export interface OrphanCandidate {
  readonly namespace: string;
  /** The namespace object's uid: a namespace recreated under the same name is a different one. */
  readonly uid: string;
  readonly workflowId: string;
  readonly preview: PreviewRef;
  readonly ageMs: number;
  /** Why the owner counts as gone (`workflow … does not exist`, `… is COMPLETED`). */
  readonly detail: string;
}

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

// --- Per-preview databases on the shared PostgreSQL server ------------------------------------

/**
 * The skip reasons shared by the passes over what a preview leaves outside its namespace
 * (databases, Argo CD Applications): the namespace and the owner are confirmed gone last.
 */
const OUTSIDE_NAMESPACE_SKIP_REASONS = [
  /** The preview namespace still exists: its lifecycle (or the namespace janitor) comes first. */
  'namespace-exists',
  /** The API server could not say whether the namespace exists. */
  'namespace-unconfirmed',
  'owned',
  'owner-unconfirmed',
  'owner-ambiguous',
  /** Between the scan and the action the object was re-marked or recreated, or the namespace came back. */
  'changed',
] as const;

/** Why the janitor left a preview database (role and/or database of one name) alone. Prometheus label values. */
export const DATABASE_SKIP_REASONS = [
  /** Not a name this installation's prefix derives. */
  'malformed',
  /** No role, or a role without previewd's ownership marker: not provably previewd's. */
  'unmarked',
  /** The marker names a namespace that does not derive this name. */
  'mismatched',
  /** The database belongs to another role than its namespace's. */
  'foreign-owner',
  /** Created within the retention window. */
  'too-young',
  ...OUTSIDE_NAMESPACE_SKIP_REASONS,
] as const;

export type DatabaseSkipReason = (typeof DATABASE_SKIP_REASONS)[number];

export interface SkippedDatabase {
  readonly name: string;
  readonly reason: DatabaseSkipReason;
  readonly detail: string;
}

/** Something a preview left outside its namespace, whose namespace and owning workflow are positively gone. */
interface LeftoverOutsideNamespace {
  readonly name: string;
  /** The preview namespace it belongs to (gone). */
  readonly namespace: string;
  readonly workflowId: string;
  readonly ageMs: number;
  /** Why the owner counts as gone. */
  readonly detail: string;
}

/** A preview database whose owning workflow is positively gone and whose namespace is gone too; `namespace` is from the role's ownership marker. */
export type OrphanDatabase = LeftoverOutsideNamespace;

export interface DatabaseScan {
  /** False when the worker has no `databases` section: nothing was looked at. */
  readonly configured: boolean;
  /** Names under this installation's prefix that were examined. */
  readonly found: number;
  readonly orphans: readonly OrphanDatabase[];
  readonly skipped: readonly SkippedDatabase[];
}

export interface DropOrphanDatabaseInput {
  readonly orphan: OrphanDatabase;
  readonly retentionMs: number;
}

export type OrphanDatabaseDrop =
  | { readonly outcome: 'dropped'; readonly name: string; readonly terminatedSessions: number }
  /** Gone before the drop got to it. */
  | { readonly outcome: 'gone'; readonly name: string }
  | ({ readonly outcome: 'skipped' } & SkippedDatabase);

export interface FailedDatabaseDrop {
  readonly name: string;
  readonly error: string;
}

export interface DatabaseJanitorSummary {
  readonly found: number;
  readonly dropped: readonly string[];
  /** Dry run: the confirmed orphans a real run would drop. */
  readonly wouldDrop: readonly string[];
  readonly skipped: readonly SkippedDatabase[];
  readonly skippedByReason: Partial<Record<DatabaseSkipReason, number>>;
  readonly failed: readonly FailedDatabaseDrop[];
}

// --- Leftover Argo CD Applications ---------------------------------------------------------------

/**
 * Why the janitor left a previewd Application (in Argo CD's namespace) alone. Prometheus label
 * values and summary keys: stable, few, no names.
 */
export const APPLICATION_SKIP_REASONS = [
  /** Not this installation's: no managed-by label, or aimed at a namespace outside its prefix. */
  'foreign',
  /** Already being deleted: Argo CD's finalizer finishes what someone else started. */
  'terminating',
  'too-young',
  /** No repository annotation: the owning workflow cannot be named. */
  'no-owner',
  /** Labels, name, destination or timestamps do not describe an Application previewd could have made. */
  'malformed',
  ...OUTSIDE_NAMESPACE_SKIP_REASONS,
] as const;

export type ApplicationSkipReason = (typeof APPLICATION_SKIP_REASONS)[number];

export interface SkippedApplication {
  readonly name: string;
  readonly reason: ApplicationSkipReason;
  readonly detail: string;
}

/**
 * A previewd Application whose preview namespace is gone and whose owning workflow is
 * positively not running: what a deploy attempt that outlived its timeout leaves after the
 * teardown listed the Applications.
 */
export interface OrphanApplication extends LeftoverOutsideNamespace {
  /** The Application object's uid: one recreated under the same name is a different one. */
  readonly uid: string;
}

export interface ApplicationScan {
  /** previewd Applications (managed-by label) in Argo CD's namespace that were examined. */
  readonly found: number;
  readonly orphans: readonly OrphanApplication[];
  readonly skipped: readonly SkippedApplication[];
}

export interface DeleteOrphanApplicationInput {
  readonly orphan: OrphanApplication;
  readonly retentionMs: number;
}

export type OrphanApplicationDeletion =
  | { readonly outcome: 'deleted'; readonly name: string }
  /** Gone before the deletion got to it. */
  | { readonly outcome: 'gone'; readonly name: string }
  | ({ readonly outcome: 'skipped' } & SkippedApplication);

export interface FailedApplicationDeletion {
  readonly name: string;
  readonly error: string;
}

export interface ApplicationJanitorSummary {
  readonly found: number;
  readonly deleted: readonly string[];
  /** Dry run: the confirmed orphans a real run would delete. */
  readonly wouldDelete: readonly string[];
  readonly skipped: readonly SkippedApplication[];
  readonly skippedByReason: Partial<Record<ApplicationSkipReason, number>>;
  readonly failed: readonly FailedApplicationDeletion[];
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
  /** The database pass; absent when the worker has no `databases` section. */
  readonly databases?: DatabaseJanitorSummary;
  /** The pass over leftover Applications; absent in runs started before it existed. */
  readonly applications?: ApplicationJanitorSummary;
  /** Previews woken to move to the Worker Deployment's current version; absent in runs started before it existed. */
  readonly workerVersions?: WorkerVersionNudge;
}

/** What the janitor's worker-version pass did. */
export interface WorkerVersionNudge {
  /** False when the worker is unversioned (no `worker.deployment`): nothing to do. */
  readonly configured: boolean;
  /** `<deployment>:<build id>`; absent when the deployment has no current version yet. */
  readonly currentVersion?: string;
  /** Running previews pinned to another version that were signalled `workerVersionCheck`. */
  readonly nudged: number;
  /** Signals that failed (a run that ended meanwhile); the next janitor run tries again. */
  readonly failed: number;
}

export interface ScanForOrphansInput {
  readonly retentionMs: number;
}

export interface TearDownOrphanInput {
  readonly orphan: OrphanCandidate;
  readonly retentionMs: number;
}

/**
 * The activities the janitor workflow calls. Both are idempotent, and both decide from fresh
 * reads, never from what an earlier attempt saw.
 */
export interface JanitorActivities {
  /** Lists this installation's namespaces and sorts them into confirmed orphans and skips (with reasons). */
  scanForOrphans(input: ScanForOrphansInput): Promise<OrphanScan>;
  /** Re-confirms one orphan, then tears it down like the lifecycle does (Applications, routes, namespace). */
  tearDownOrphan(input: TearDownOrphanInput): Promise<OrphanTeardown>;
  /** Lists this installation's preview databases and sorts them into confirmed orphans and skips. */
  scanForOrphanDatabases(input: ScanForOrphansInput): Promise<DatabaseScan>;
  /** Re-confirms one orphan database (owner, namespace), then drops it like the lifecycle does. */
  dropOrphanDatabase(input: DropOrphanDatabaseInput): Promise<OrphanDatabaseDrop>;
  /** Lists previewd Applications whose preview namespace is gone and sorts them into confirmed orphans and skips. */
  scanForOrphanApplications(input: ScanForOrphansInput): Promise<ApplicationScan>;
  /** Re-confirms one orphan Application (itself, namespace, owner), deletes it and waits out Argo CD's finalizer. */
  deleteOrphanApplication(input: DeleteOrphanApplicationInput): Promise<OrphanApplicationDeletion>;
  /** Wakes running previews pinned to an older version of the Worker Deployment, so they move to the current one. */
  nudgeOutdatedPreviews(): Promise<WorkerVersionNudge>;
}
