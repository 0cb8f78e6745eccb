import { log } from '@temporalio/activity';
import { ident, readNameState, withLockedName } from './admin-session';
import type { DatabaseContext } from './database-context';
import { step } from './database-failure';
import { assertOwnable, deriveName } from './ownership-check';
import type { DropDatabaseInput, DropDatabaseResult } from '../../workflows/contract';

// Teardown of a preview's database, for the lifecycle and for the janitor. Each step is
// idempotent, so a retry after a crash anywhere picks up where the last attempt stopped:
//
// 1. The role loses LOGIN, so the preview's workloads cannot reconnect while it goes.
// 2. DROP DATABASE … WITH (FORCE) terminates the sessions still open on it and drops it.
// 3. Sessions of the role elsewhere (other databases PUBLIC may connect to) are terminated,
//    what it owns or was granted in the admin's database is dropped, then the role.
//
// Only a name this owner provably holds is dropped; anything else is refused unchanged.

export async function dropDatabase(ctx: DatabaseContext, input: DropDatabaseInput): Promise<DropDatabaseResult> {
  const name = await deriveName(ctx, input);
  return withLockedName(ctx, name, async ({ client }) => {
    const state = await step(`read ${name}`, () => readNameState(client, name));
    const gone = { database: name, databaseDropped: false, roleDropped: false, terminatedSessions: 0 };
    if (!state.role && !state.database) return gone;
    assertOwnable(state, name, input);
    const id = ident(ctx.settings.prefix, name);
    if (state.role) await step(`disable login of ${name}`, () => client.query(`ALTER ROLE ${id} NOLOGIN`));
    let terminatedSessions = 0;
    if (state.database) {
      const open = await step(`count sessions on ${name}`, () =>
        client.query<{ sessions: number }>('SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = $1', [name]),
      );
      terminatedSessions = open.rows[0]?.sessions ?? 0;
      await step(`drop database ${name}`, () => client.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`));
    }
    if (state.role) {
      await step(`end sessions of ${name}`, () =>
        client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()', [name]),
      );
      await step(`drop objects of ${name}`, () => client.query(`DROP OWNED BY ${id}`));
      await step(`drop role ${name}`, () => client.query(`DROP ROLE IF EXISTS ${id}`));
    }
    log.info('preview database dropped', { database: name, namespace: input.namespace, databaseDropped: !!state.database, roleDropped: !!state.role, terminatedSessions });
    return { database: name, databaseDropped: !!state.database, roleDropped: !!state.role, terminatedSessions };
  });
}
