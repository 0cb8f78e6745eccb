import { log } from '@temporalio/activity';
import { escapeLiteral } from 'pg';
import { buildDatabaseSecret, isOwnedBy, ownershipMarker, parseDatabaseComment, renderComment, type OwnershipMarker } from '../../src/database';
import { ident, readNameState, withLockedName, type AdminSession, type NameState } from './admin-session';
import { applyBootstrap, planBootstrap } from './bootstrap';
import { generatePassword, isGeneratedPassword, scramSha256Verifier } from './credentials';
import type { DatabaseContext } from './database-context';
import { step } from './database-failure';
import { assertOwnable, deriveName } from './ownership-check';
import type { ProvisionDatabaseInput, ProvisionDatabaseResult } from '../../workflows/contract';

// Provisioning converges from any state an earlier, interrupted attempt left behind:
//
// 1. The password is settled first, in the Secret. If the Secret already holds a password for
//    this role it is kept, otherwise a new one is generated, and the Secret is written before
//    the role learns the password. A retry after a crash anywhere later reads the same
//    password back, so the Secret and the role always end up agreeing, without the password
//    ever passing through workflow history.
// 2. The role is created (with its ownership marker, in the same transaction) or brought back
//    to the settled password and attributes.
// 3. The database is created if missing; PUBLIC's CONNECT and TEMPORARY are revoked, so other
//    previews' roles cannot connect to it.
// 4. The bootstrap SQL runs once, recorded in the transaction that runs it.

async function settlePassword(ctx: DatabaseContext, namespace: string, name: string): Promise<{ password: string; generated: boolean }> {
  const { settings } = ctx;
  const stored = await ctx.secrets.read(namespace, settings.secretName);
  const keep = stored?.username === name && isGeneratedPassword(stored.password);
  const password = keep && stored.password ? stored.password : generatePassword();
  const secret = buildDatabaseSecret({
    namespace,
    secretName: settings.secretName,
    labels: ctx.secretLabels,
    endpoint: settings.endpoint,
    database: name,
    username: name,
    password,
  });
  await ctx.secrets.write(secret);
  return { password, generated: !keep };
}

/** Role attributes: a login limited to its own database's work, within a connection budget. */
function roleOptions(ctx: DatabaseContext, password: string): string {
  return `LOGIN NOCREATEDB NOCREATEROLE CONNECTION LIMIT ${ctx.settings.connectionLimit} PASSWORD ${escapeLiteral(scramSha256Verifier(password))}`;
}

async function ensureRole(ctx: DatabaseContext, session: AdminSession, state: NameState, name: string, password: string, marker: OwnershipMarker): Promise<boolean> {
  const { client } = session;
  const role = ident(ctx.settings.prefix, name);
  await step(`${state.role ? 'update' : 'create'} role ${name}`, async () => {
    await client.query('BEGIN');
    if (state.role) {
      await client.query(`ALTER ROLE ${role} WITH ${roleOptions(ctx, password)}`);
    } else {
      // Superuser, replication and RLS bypass can only be named (as NO…) at creation by a non-superuser.
      await client.query(`CREATE ROLE ${role} WITH NOSUPERUSER NOREPLICATION NOBYPASSRLS ${roleOptions(ctx, password)}`);
      await client.query(`COMMENT ON ROLE ${role} IS ${escapeLiteral(renderComment(marker))}`);
    }
    // A CREATEROLE admin (managed services have no superuser) must be a member of the role to
    // create a database owned by it and, later, to drop it.
    if (!session.superuser && !state.role?.hasPrivileges) await client.query(`GRANT ${role} TO CURRENT_USER`);
    await client.query('COMMIT');
  });
  return !state.role;
}

/** Whether it was created, and its comment when that is still previewd's for this owner (it may hold the bootstrap record). */
async function ensureDatabase(
  ctx: DatabaseContext,
  session: AdminSession,
  state: NameState,
  name: string,
  marker: OwnershipMarker,
): Promise<{ created: boolean; comment: string | null }> {
  const { client } = session;
  const database = ident(ctx.settings.prefix, name);
  if (!state.database) await step(`create database ${name}`, () => client.query(`CREATE DATABASE ${database} OWNER ${database}`));
  const current = state.database?.comment ?? null;
  const keepComment = isOwnedBy(parseDatabaseComment(current), marker);
  await step(`restrict database ${name}`, async () => {
    await client.query('BEGIN');
    await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${database} FROM PUBLIC`);
    if (!keepComment) await client.query(`COMMENT ON DATABASE ${database} IS ${escapeLiteral(renderComment(marker))}`);
    await client.query('COMMIT');
  });
  return { created: !state.database, comment: keepComment ? current : null };
}

export async function provisionDatabase(ctx: DatabaseContext, input: ProvisionDatabaseInput): Promise<ProvisionDatabaseResult> {
  const name = await deriveName(ctx, input);
  const plan = planBootstrap(ctx.settings, input.bootstrapSql);
  return withLockedName(ctx, name, async (session) => {
    const state = await step(`read ${name}`, () => readNameState(session.client, name));
    const marker = assertOwnable(state, name, input) ?? ownershipMarker({ ...input, createdAt: new Date(ctx.now()).toISOString() });
    const { password, generated } = await settlePassword(ctx, input.namespace, name);
    const createdRole = await ensureRole(ctx, session, state, name, password, marker);
    const database = await ensureDatabase(ctx, session, state, name, marker);
    const createdDatabase = database.created;
    const bootstrap = plan ? await applyBootstrap(ctx, session, { name, password, marker, currentComment: database.comment }, plan) : { state: 'none' as const };
    log.info('preview database provisioned', { database: name, namespace: input.namespace, createdRole, createdDatabase, passwordGenerated: generated, bootstrap: bootstrap.state });
    return {
      database: name,
      role: name,
      secretName: ctx.settings.secretName,
      created: { role: createdRole, database: createdDatabase },
      passwordGenerated: generated,
      bootstrap,
    };
  });
}
