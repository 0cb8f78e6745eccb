import { Pool, type PoolConfig } from 'pg';
import type { DatabaseSettings } from '../../src/database';
import type { PreviewSecretStore } from './secret-store';

/**
 * How the worker logs in to the shared server as the administrator of preview roles and
 * databases: a superuser, or (on managed services) a role with CREATEROLE and CREATEDB.
 */
export interface AdminConnection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The maintenance database the admin connects to (`postgres` usually). */
  readonly database: string;
  readonly ssl?: PoolConfig['ssl'];
}

export interface DatabaseActivityDeps {
  readonly admin: AdminConnection;
  readonly settings: DatabaseSettings;
  readonly secrets: PreviewSecretStore;
  /** Labels for the credentials Secret (previewd's ownership labels). */
  readonly secretLabels?: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch; injected so ownership timestamps are testable. */
  readonly now?: () => number;
  /** Admin sessions held at most; each activity call uses one at a time. */
  readonly maxConnections?: number;
}

export interface DatabaseContext extends Pick<DatabaseActivityDeps, 'admin' | 'settings' | 'secrets' | 'secretLabels'> {
  readonly pool: Pool;
  readonly now: () => number;
  /** Ends the admin pool (worker shutdown, end of a test file). */
  close(): Promise<void>;
}

export function createDatabaseContext(deps: DatabaseActivityDeps): DatabaseContext {
  const { admin } = deps;
  const pool = new Pool({
    host: admin.host,
    port: admin.port,
    user: admin.user,
    password: admin.password,
    database: admin.database,
    ssl: admin.ssl,
    max: deps.maxConnections ?? 4,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: 'previewd',
  });
  // An idle session that the server closes (restart, idle timeout) is reported here. The pool
  // has already dropped it and the next call connects afresh; without a listener the 'error'
  // event would end the worker process.
  pool.on('error', () => {});
  return {
    pool,
    admin,
    settings: deps.settings,
    secrets: deps.secrets,
    secretLabels: deps.secretLabels,
    now: deps.now ?? Date.now,
    close: () => pool.end(),
  };
}
