import type { PreviewDatabaseEntry } from '../../src/database';

// The database activities' contract. Types only (the workflow bundle may import them). Every
// call is idempotent and decides from fresh reads of the server, never from what an earlier
// attempt saw. No input or result carries a password: it goes from the activity straight into
// the preview's Secret, so it never lands in workflow history.

/** Whose database: the preview namespace (names derive from it) and the owning workflow. */
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

export interface ProvisionDatabaseResult {
  /** The database and the role that owns it (same name). */
  readonly database: string;
  readonly role: string;
  /** The Secret in the preview namespace that holds the credentials. */
  readonly secretName: string;
  readonly created: { readonly role: boolean; readonly database: boolean };
  /** True when a new password was generated (the Secret held none, or not a valid one). */
  readonly passwordGenerated: boolean;
  readonly bootstrap: { readonly state: 'none' | 'applied' | 'already-applied'; readonly sha256?: string };
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

export interface ListPreviewDatabasesResult {
  readonly entries: readonly PreviewDatabaseEntry[];
}

export interface DatabaseActivities {
  /** Role (with its ownership marker), database, revoked PUBLIC access, Secret, optional bootstrap. */
  provisionDatabase(input: ProvisionDatabaseInput): Promise<ProvisionDatabaseResult>;
  /** Terminates open sessions, drops the database, then the role. Refuses what the owner did not create. */
  dropDatabase(input: DropDatabaseInput): Promise<DropDatabaseResult>;
  /** Every role and database under this installation's prefix, with their markers, for the janitor. */
  listPreviewDatabases(): Promise<ListPreviewDatabasesResult>;
}
