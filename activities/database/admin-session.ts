import { ApplicationFailure } from '@temporalio/common';
import { escapeIdentifier, type PoolClient } from 'pg';
import { assertPreviewDatabaseName } from '../../src/database';
import type { DatabaseContext } from './database-context';
import { DatabaseFailureType, step } from './database-failure';

// One admin session per activity call, holding a session-level advisory lock on the name it
// works on. Retries of a timed-out attempt can overlap the attempt itself (Temporal cannot stop
// a running activity); the lock makes them take turns instead of interleaving CREATE and DROP
// statements. A session that dies releases its lock with it.

/** PostgreSQL 13 brought DROP DATABASE … WITH (FORCE). */
const MIN_SERVER_VERSION = 130000;

export interface AdminSession {
  readonly client: PoolClient;
  /** Superusers need no membership in preview roles; CREATEROLE admins do. */
  readonly superuser: boolean;
}

/** The catalog rows for one name. Comments are raw text; callers parse them. */
export interface NameState {
  readonly role?: { readonly comment: string | null; readonly hasPrivileges: boolean };
  readonly database?: { readonly owner: string; readonly comment: string | null };
}

/** The name as a quoted identifier, after checking once more that it is one previewd derives. */
export function ident(prefix: string, name: string): string {
  assertPreviewDatabaseName(prefix, name);
  return escapeIdentifier(name);
}

const lockKey = (name: string) => `previewd-database:${name}`;

async function sessionFacts(client: PoolClient): Promise<{ version: number; superuser: boolean }> {
  const { rows } = await client.query<{ version: number; superuser: boolean }>(
    "SELECT current_setting('server_version_num')::int AS version, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user",
  );
  const facts = rows[0];
  if (!facts) throw new Error('the admin role is missing from pg_roles');
  return facts;
}

/** Runs `body` on an admin session that holds `name`'s lock; any failure discards the session. */
export async function withLockedName<T>(ctx: DatabaseContext, name: string, body: (session: AdminSession) => Promise<T>): Promise<T> {
  const client = await step(`connect to ${ctx.admin.host}:${ctx.admin.port} as ${ctx.admin.user}`, () => ctx.pool.connect());
  // A checked-out client whose connection dies emits 'error' (besides failing its query); the
  // pool listens only while the client is idle, and an unheard 'error' would end the worker.
  const onConnectionLost = () => {};
  client.on('error', onConnectionLost);
  let failed = false;
  try {
    const facts = await step('read server version', () => sessionFacts(client));
    if (facts.version < MIN_SERVER_VERSION) {
      throw ApplicationFailure.nonRetryable(`PostgreSQL ${facts.version} is too old: previewd needs 13 or newer`, DatabaseFailureType.Unsupported);
    }
    const { rows } = await step(`lock ${name}`, () =>
      client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [lockKey(name)]),
    );
    if (!rows[0]?.locked) throw ApplicationFailure.retryable(`another attempt is working on ${name}`, DatabaseFailureType.Busy);
    const result = await body({ client, superuser: facts.superuser });
    await step(`unlock ${name}`, () => client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey(name)]));
    return result;
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    client.removeListener('error', onConnectionLost);
    // Destroying a failed session also drops its lock and any half-finished transaction.
    client.release(failed);
  }
}

export async function readNameState(client: PoolClient, name: string): Promise<NameState> {
  const roles = await client.query<{ comment: string | null; has_privileges: boolean }>(
    "SELECT shobj_description(oid, 'pg_authid') AS comment, pg_has_role(current_user, oid, 'USAGE') AS has_privileges FROM pg_roles WHERE rolname = $1",
    [name],
  );
  const databases = await client.query<{ owner: string; comment: string | null }>(
    "SELECT pg_get_userbyid(datdba) AS owner, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
    [name],
  );
  const role = roles.rows[0];
  const database = databases.rows[0];
  return {
    ...(role ? { role: { comment: role.comment, hasPrivileges: role.has_privileges } } : {}),
    ...(database ? { database: { owner: database.owner, comment: database.comment } } : {}),
  };
}
