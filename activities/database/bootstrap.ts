import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { Client, DatabaseError, escapeLiteral } from 'pg';
import { parseDatabaseComment, renderComment, type DatabaseSettings, type OwnershipMarker } from '../../src/database';
import { ident, type AdminSession } from './admin-session';
import type { DatabaseContext } from './database-context';
import { DatabaseFailureType, describeDatabaseError, step, toDatabaseFailure } from './database-failure';

// The optional schema bootstrap. Its SQL comes from the pull request, so it runs with exactly
// the preview role's rights: logged in as that role, in its own database, never in an admin
// session (where SET ROLE could be undone by the SQL itself). It runs once per database: the
// same transaction that runs it records it in the database comment, so a retry after a lost
// COMMIT answer sees the record and does not run it twice.

export interface BootstrapPlan {
  readonly sql: string;
  readonly sha256: string;
}

export type BootstrapOutcome = { readonly state: 'none' | 'applied' | 'already-applied'; readonly sha256?: string };

/** Checked before anything changes, so refused input leaves the server as it was. */
export function planBootstrap(settings: DatabaseSettings, sql: string | undefined): BootstrapPlan | undefined {
  if (sql === undefined || sql.trim() === '') return undefined;
  const bytes = Buffer.byteLength(sql, 'utf8');
  if (bytes > settings.bootstrap.maxBytes) {
    throw ApplicationFailure.nonRetryable(`the bootstrap SQL is ${bytes} bytes; at most ${settings.bootstrap.maxBytes} are allowed`, DatabaseFailureType.BootstrapFailed);
  }
  return { sql, sha256: createHash('sha256').update(sql, 'utf8').digest('hex') };
}

/** Lost connections, overload, shutdowns, serialization failures: worth a retry. */
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '57', '58']);

/** Errors of the SQL itself are the PR's to fix; only a lost or refused connection is worth a retry. */
function bootstrapFailure(err: unknown, timedOut: boolean): unknown {
  if (timedOut) return ApplicationFailure.nonRetryable('the bootstrap SQL ran past its time limit and was stopped', DatabaseFailureType.BootstrapFailed);
  if (!(err instanceof DatabaseError) || !err.code) return toDatabaseFailure(err, 'bootstrap SQL');
  const message = describeDatabaseError('bootstrap SQL', err);
  // 57014 is a statement_timeout: the SQL is too slow, not the server unwell.
  if (TRANSIENT_CLASSES.has(err.code.slice(0, 2)) && err.code !== '57014') return ApplicationFailure.retryable(message, DatabaseFailureType.Unavailable);
  return ApplicationFailure.nonRetryable(message, DatabaseFailureType.BootstrapFailed);
}

async function runInTransaction(client: Client, plan: BootstrapPlan, database: string, comment: string): Promise<void> {
  await client.query('BEGIN');
  // A transaction-local setting: if the SQL ends the transaction itself, it is gone afterwards.
  await client.query("SET LOCAL previewd.bootstrap = 'running'");
  await client.query(plan.sql);
  const { rows } = await client.query<{ marker: string | null }>("SELECT current_setting('previewd.bootstrap', true) AS marker");
  if (rows[0]?.marker !== 'running') {
    throw ApplicationFailure.nonRetryable(
      'the bootstrap SQL ended the transaction itself (COMMIT or ROLLBACK): give plain statements, previewd runs them in one transaction',
      DatabaseFailureType.BootstrapFailed,
    );
  }
  await client.query(`COMMENT ON DATABASE ${database} IS ${escapeLiteral(comment)}`);
  await client.query('COMMIT');
}

export async function applyBootstrap(
  ctx: DatabaseContext,
  session: AdminSession,
  target: { readonly name: string; readonly password: string; readonly marker: OwnershipMarker; readonly currentComment: string | null },
  plan: BootstrapPlan,
): Promise<BootstrapOutcome> {
  const recorded = parseDatabaseComment(target.currentComment)?.bootstrap;
  if (recorded) return { state: 'already-applied', sha256: recorded.sha256 };
  const { admin, settings } = ctx;
  const timeoutMs = settings.bootstrap.timeoutMs;
  const client = new Client({
    host: admin.host,
    port: admin.port,
    ssl: admin.ssl,
    user: target.name,
    password: target.password,
    database: target.name,
    application_name: 'previewd-bootstrap',
    statement_timeout: timeoutMs,
    connectionTimeoutMillis: 10_000,
  });
  // A terminated session also emits 'error'; the failed query already reports it.
  client.on('error', () => {});
  await step(`log in as ${target.name}`, () => client.connect());
  let timedOut = false;
  // statement_timeout bounds each statement, but the SQL may SET it away; the admin session
  // (idle meanwhile) ends the whole run after the limit.
  const pid = await step('read bootstrap session', async () => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
  const watchdog = setTimeout(() => {
    timedOut = true;
    session.client.query('SELECT pg_terminate_backend($1)', [pid]).catch(() => {});
  }, timeoutMs);
  try {
    const comment = renderComment({ ...target.marker, bootstrap: { sha256: plan.sha256, appliedAt: new Date(ctx.now()).toISOString() } });
    await runInTransaction(client, plan, ident(settings.prefix, target.name), comment);
    return { state: 'applied', sha256: plan.sha256 };
  } catch (err) {
    throw err instanceof ApplicationFailure ? err : bootstrapFailure(err, timedOut);
  } finally {
    clearTimeout(watchdog);
    await client.end().catch(() => {});
  }
}
