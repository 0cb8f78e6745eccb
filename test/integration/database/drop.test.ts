import { Client } from 'pg';
import { DatabaseFailureType } from '../../../activities/database';
import { previewDatabaseName } from '../../../src/database';
import { canLogIn, connectWith, databaseFixture, failureOf, runActivity, testSettings, type DatabaseFixture } from './support';

// dropDatabase against the real server: it ends open sessions, removes database and role, is a
// no-op when they are gone, and never drops what this owner did not create.

describe('dropDatabase', () => {
  let db: DatabaseFixture;
  beforeAll(async () => {
    db = await databaseFixture();
  });
  afterAll(async () => {
    await db.close();
  });

  const exists = async (name: string) =>
    (await db.sql<{ kind: string }>("SELECT 'role' AS kind FROM pg_roles WHERE rolname = $1 UNION ALL SELECT 'database' FROM pg_database WHERE datname = $1", [name])).map(
      (r) => r.kind,
    );

  it('drops a database another client holds open (one session mid-transaction), then the role', async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const namespace = await db.namespace();
    const owner = { namespace, workflowId: `wf-${namespace}` };
    await runActivity(acts.provisionDatabase, owner);
    const secret = await db.readSecret(namespace, settings);
    const idle = await connectWith(secret);
    const busy = await connectWith(secret);
    await busy.query('BEGIN');
    await busy.query('CREATE TABLE held (n int)');

    const result = await runActivity(acts.dropDatabase, owner);
    expect(result).toEqual({ database: secret.database, databaseDropped: true, roleDropped: true, terminatedSessions: 2 });
    expect(await exists(secret.database ?? '')).toEqual([]);
    for (const client of [idle, busy]) {
      await expect(client.query('SELECT 1')).rejects.toThrow();
      await client.end().catch(() => {});
    }
    expect(await canLogIn(secret)).toBe('28P01'); // the role is gone: its password no longer opens anything
  });

  it('also ends sessions the role has in other databases (PUBLIC may connect to the maintenance database)', async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const namespace = await db.namespace();
    const owner = { namespace, workflowId: `wf-${namespace}` };
    await runActivity(acts.provisionDatabase, owner);
    const secret = await db.readSecret(namespace, settings);
    const elsewhere = await connectWith(secret, { database: 'postgres' });

    await runActivity(acts.dropDatabase, owner);
    await expect(elsewhere.query('SELECT 1')).rejects.toThrow();
    await elsewhere.end().catch(() => {});
    expect(await exists(secret.database ?? '')).toEqual([]);
  });

  it('is a no-op when everything is already gone, however often it runs', async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const namespace = await db.namespace();
    const owner = { namespace, workflowId: `wf-${namespace}` };
    const none = { database: previewDatabaseName(settings, namespace), databaseDropped: false, roleDropped: false, terminatedSessions: 0 };
    expect(await runActivity(acts.dropDatabase, owner)).toEqual(none);
    await runActivity(acts.provisionDatabase, owner);
    expect(await runActivity(acts.dropDatabase, owner)).toMatchObject({ databaseDropped: true, roleDropped: true });
    expect(await runActivity(acts.dropDatabase, owner)).toEqual(none);
  });

  it("refuses another workflow's database and a hand-made one under the same name, changing nothing", async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const namespace = await db.namespace();
    const name = previewDatabaseName(settings, namespace);
    await runActivity(acts.provisionDatabase, { namespace, workflowId: 'wf-first' });

    const other = await failureOf(runActivity(acts.dropDatabase, { namespace, workflowId: 'wf-second' }));
    expect(other).toMatchObject({ type: DatabaseFailureType.Foreign, nonRetryable: true });
    expect(other.message).toContain('workflow wf-first');
    expect((await exists(name)).sort()).toEqual(['database', 'role']);
    await runActivity(acts.dropDatabase, { namespace, workflowId: 'wf-first' });

    // A person created a role and database of exactly the derived name: not previewd's to drop.
    await db.sql(`CREATE ROLE ${name} LOGIN`);
    await db.sql(`CREATE DATABASE ${name} OWNER ${name}`);
    try {
      const handMade = await failureOf(runActivity(acts.dropDatabase, { namespace, workflowId: 'wf-first' }));
      expect(handMade).toMatchObject({ type: DatabaseFailureType.Foreign, nonRetryable: true });
      expect(handMade.message).toMatch(/no previewd ownership marker/);
      expect((await exists(name)).sort()).toEqual(['database', 'role']);
      const secretRef = { apiVersion: 'v1', kind: 'Secret', name: settings.secretName, namespace };
      const before = await db.kube.get(secretRef); // left from the first run
      const provision = await failureOf(runActivity(acts.provisionDatabase, { namespace, workflowId: 'wf-first' }));
      expect(provision).toMatchObject({ type: DatabaseFailureType.Foreign, nonRetryable: true });
      expect((await db.kube.get(secretRef))?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
    } finally {
      await db.sql(`DROP DATABASE ${name}`);
      await db.sql(`DROP ROLE ${name}`);
    }
  });

  it('refuses a database of the derived name that another role owns, even with a marked role', async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const namespace = await db.namespace();
    const owner = { namespace, workflowId: `wf-${namespace}` };
    const name = previewDatabaseName(settings, namespace);
    await runActivity(acts.provisionDatabase, owner);
    await db.sql(`ALTER DATABASE ${name} OWNER TO postgres`);
    const failure = await failureOf(runActivity(acts.dropDatabase, owner));
    expect(failure).toMatchObject({ type: DatabaseFailureType.Foreign, nonRetryable: true });
    expect(failure.message).toContain('owned by postgres');
    await db.sql(`DROP DATABASE ${name}`);
    expect(await runActivity(acts.dropDatabase, owner)).toMatchObject({ databaseDropped: false, roleDropped: true });
  });

  it('fails for good, naming what is left, when the role still holds privileges in another database', async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const namespace = await db.namespace();
    const owner = { namespace, workflowId: `wf-${namespace}` };
    const name = previewDatabaseName(settings, namespace);
    const elsewhere = `${settings.prefix}_elsewhere`;
    await runActivity(acts.provisionDatabase, owner);
    await db.sql(`CREATE DATABASE ${elsewhere}`);
    const client = new Client({ ...db.context(settings).admin, database: elsewhere });
    await client.connect();
    try {
      await client.query(`CREATE TABLE kept (n int); GRANT SELECT ON kept TO ${name}`);
      const failure = await failureOf(runActivity(acts.dropDatabase, owner));
      expect(failure).toMatchObject({ type: DatabaseFailureType.RoleInUse, nonRetryable: true });
      expect(failure.message).toMatch(new RegExp(`privileges for table kept in database ${elsewhere}|in database ${elsewhere}`));
      await client.query(`REVOKE ALL ON kept FROM ${name}`);
      expect(await runActivity(acts.dropDatabase, owner)).toMatchObject({ databaseDropped: false, roleDropped: true });
    } finally {
      await client.end();
      await db.sql(`DROP DATABASE ${elsewhere}`);
    }
  });
});
