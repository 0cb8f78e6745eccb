import type { PreviewRef } from './activities';

// The per-preview database steps of the lifecycle: the schema bootstrap's SQL read from the
// repository, provisioning after the baseline, and the drop at teardown. Every call is
// idempotent and decides from fresh reads of the server, never from what an earlier attempt
// saw. No input or result carries a password: the provisioning activity writes it straight into
// the preview's Secret, so it never lands in workflow history.

/** Whose database: the preview namespace (names derive from it, never from PR text) and the owning workflow. */
export interface DatabaseOwner {
  readonly namespace: string;
  readonly workflowId: string;
}

export interface ProvisionDatabaseInput extends DatabaseOwner {
  /**
   * Optional schema bootstrap, run once per database as the preview role inside its own
   * database, in one transaction; it must not contain COMMIT or ROLLBACK.
   */
  readonly bootstrapSql?: string;
}

export type BootstrapState = 'none' | 'applied' | 'already-applied';

export interface ProvisionDatabaseResult {
  /** The database and the role that owns it (same name). */
  readonly database: string;
  readonly role: string;
  /** The Secret in the preview namespace that holds the credentials. */
  readonly secretName: string;
  readonly created: { readonly role: boolean; readonly database: boolean };
  /** True when a new password was generated (the Secret held none, or not a valid one). */
  readonly passwordGenerated: boolean;
  readonly bootstrap: { readonly state: BootstrapState; readonly sha256?: string };
}

export type DropDatabaseInput = DatabaseOwner;

export interface DropDatabaseResult {
  readonly database: string;
  /** False when it was already gone. */
  readonly databaseDropped: boolean;
  readonly roleDropped: boolean;
  /** Sessions that were open on the database and were terminated by the drop. */
  readonly terminatedSessions: number;
}

/** What a missing bootstrap file means: a clear failure of the preview, or no bootstrap. */
export type MissingBootstrap = 'fail' | 'skip';

export interface FetchBootstrapSqlInput {
  readonly preview: PreviewRef;
  /** The file is read at this commit, so a later push cannot change what a provisioning runs. */
  readonly headSha: string;
  /** Path in the repository, from the operator's config (never from the PR). */
  readonly path: string;
  readonly ifMissing: MissingBootstrap;
}

/**
 * The bootstrap SQL, or that there is none. The text lands in history on purpose: it is code
 * committed to the repository (not a secret), bounded by `databases.bootstrap.maxBytes`, and
 * having it there means a retried or replayed provisioning runs exactly what was read.
 */
export type FetchBootstrapSqlResult =
  | { readonly found: true; readonly path: string; readonly ref: string; readonly sql: string; readonly bytes: number; readonly sha256: string }
  | { readonly found: false; readonly path: string; readonly ref: string };

/** The database steps the lifecycle workflow calls (activities/database, activities/github). */
export interface PreviewDatabaseActivities {
  /** The bootstrap SQL at the head SHA, through GitHub's contents API, size-checked before download. */
  fetchBootstrapSql(input: FetchBootstrapSqlInput): Promise<FetchBootstrapSqlResult>;
  /** Role (with its ownership marker), database, revoked PUBLIC access, credentials Secret, optional bootstrap. */
  provisionDatabase(input: ProvisionDatabaseInput): Promise<ProvisionDatabaseResult>;
  /** Disables the role's login, drops the database with its open sessions, then the role. Refuses what the owner did not create. */
  dropDatabase(input: DropDatabaseInput): Promise<DropDatabaseResult>;
}
