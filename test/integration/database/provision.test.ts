import { DatabaseFailureType } from '../../../activities/database';
import { buildDatabaseSecret, parseDatabaseComment, parseOwnershipMarker, previewDatabaseName } from '../../../src/database';
import { admin, canLogIn, connectWith, databaseFixture, failureOf, runActivity, testSettings, type DatabaseFixture } from './support';

// provisionDatabase against the real server: what it creates, that the credentials it hands
// out work and reach nothing else, and that calling it again converges instead of churning.

describe('provisionDatabase', () => {
  let db: DatabaseFixture;
  beforeAll(async () => {
    db = await databaseFixture();
  });
  afterAll(async () => {
    await db.close();
  });

  it('creates a marked role, its database and the Secret; the credentials log in and can create a table', async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const namespace = await db.namespace();
    const owner = { namespace, workflowId: `wf-${namespace}` };
    const name = previewDatabaseName(settings, namespace);

    const result = await runActivity(acts.provisionDatabase, owner);
    expect(result).toEqual({
      database: name,
      role: name,
      secretName: 'preview-database',
      created: { role: true, database: true },
      passwordGenerated: true,
      bootstrap: { state: 'none' },
    });
    expect(JSON.stringify(result)).not.toMatch(/password"?\s*:\s*"[A-Za-z0-9_-]{43}/);

    const secret = await db.readSecret(namespace, settings);
    expect(secret).toMatchObject({ database: name, username: name, host: settings.endpoint.host, port: String(settings.endpoint.port) });
    expect(secret.url).toBe(`postgresql://${name}:${secret.password}@${settings.endpoint.host}:${settings.endpoint.port}/${name}`);

    const client = await connectWith(secret);
    try {
      await client.query('CREATE TABLE notes (id serial PRIMARY KEY, body text)');
      await client.query("INSERT INTO notes (body) VALUES ('hello')");
      expect((await client.query('SELECT current_user AS who, count(*)::int AS n FROM notes GROUP BY 1')).rows).toEqual([{ who: name, n: 1 }]);
    } finally {
      await client.end();
    }

    const [role] = await db.sql<Record<string, unknown>>(
      "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolconnlimit, shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1",
      [name],
    );
    expect(role).toMatchObject({ rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolreplication: false, rolbypassrls: false, rolconnlimit: 20 });
    expect(parseOwnershipMarker(role?.comment as string)).toMatchObject({ managedBy: 'previewd', ...owner });
    const [database] = await db.sql<{ owner: string; public_connect: boolean; public_temp: boolean; comment: string }>(
      "SELECT pg_get_userbyid(datdba) AS owner, has_database_privilege('public', oid, 'CONNECT') AS public_connect, has_database_privilege('public', oid, 'TEMPORARY') AS public_temp, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [name],
    );
    expect(database).toMatchObject({ owner: name, public_connect: false, public_temp: false });
    expect(parseDatabaseComment(database?.comment)).toMatchObject(owner);
  });

  it('run again, changes nothing: same password, same Secret object, no new role or database', async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const namespace = await db.namespace();
    const owner = { namespace, workflowId: `wf-${namespace}` };
    await runActivity(acts.provisionDatabase, owner);
    const before = await db.kube.get({ apiVersion: 'v1', kind: 'Secret', name: settings.secretName, namespace });

    const again = await runActivity(acts.provisionDatabase, owner);
    expect(again).toMatchObject({ created: { role: false, database: false }, passwordGenerated: false });
    const after = await db.kube.get({ apiVersion: 'v1', kind: 'Secret', name: settings.secretName, namespace });
    expect(after?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
    expect(await canLogIn(await db.readSecret(namespace, settings))).toBe('ok');
  });

  it("one preview's credentials cannot connect to another preview's database", async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const [a, b] = [await db.namespace(), await db.namespace()];
    await runActivity(acts.provisionDatabase, { namespace: a, workflowId: `wf-${a}` });
    await runActivity(acts.provisionDatabase, { namespace: b, workflowId: `wf-${b}` });
    const secretA = await db.readSecret(a, settings);
    const secretB = await db.readSecret(b, settings);

    expect(await canLogIn(secretA)).toBe('ok');
    expect(await canLogIn(secretA, secretB.database)).toBe('42501'); // insufficient_privilege: no CONNECT
    expect(await canLogIn({ ...secretA, password: secretB.password })).toBe('28P01'); // invalid_password
  });

  it('replaces a Secret whose password is not one previewd generated, and the role follows', async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const namespace = await db.namespace();
    const name = previewDatabaseName(settings, namespace);
    await db.secrets.write(
      buildDatabaseSecret({ namespace, secretName: settings.secretName, endpoint: settings.endpoint, database: name, username: name, password: 'hunter2' }),
    );

    const result = await runActivity(acts.provisionDatabase, { namespace, workflowId: `wf-${namespace}` });
    expect(result.passwordGenerated).toBe(true);
    const secret = await db.readSecret(namespace, settings);
    expect(secret.password).not.toBe('hunter2');
    expect(await canLogIn(secret)).toBe('ok');
    expect(await canLogIn({ ...secret, password: 'hunter2' })).toBe('28P01');
  });

  it("brings a role whose password drifted back to the Secret's password, without a new one", async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const namespace = await db.namespace();
    const owner = { namespace, workflowId: `wf-${namespace}` };
    await runActivity(acts.provisionDatabase, owner);
    const secret = await db.readSecret(namespace, settings);
    await db.sql(`ALTER ROLE ${secret.username} PASSWORD 'changed-by-hand'`);
    expect(await canLogIn(secret)).toBe('28P01');

    expect((await runActivity(acts.provisionDatabase, owner)).passwordGenerated).toBe(false);
    expect(await db.readSecret(namespace, settings)).toEqual(secret);
    expect(await canLogIn(secret)).toBe('ok');
  });

  it('works for an admin that is not a superuser (CREATEROLE and CREATEDB, as managed services give)', async () => {
    const settings = testSettings();
    const adminName = `${settings.prefix}_admin`;
    const adminPassword = 'managed-admin-password';
    await db.sql(`CREATE ROLE ${adminName} LOGIN CREATEROLE CREATEDB PASSWORD '${adminPassword}'`);
    try {
      const acts = db.activities(settings, { admin: { ...db.context(settings).admin, user: adminName, password: adminPassword } });
      const namespace = await db.namespace();
      const owner = { namespace, workflowId: `wf-${namespace}` };
      expect(await runActivity(acts.provisionDatabase, owner)).toMatchObject({ created: { role: true, database: true } });
      const secret = await db.readSecret(namespace, settings);
      expect(await canLogIn(secret)).toBe('ok');
      const dropped = await runActivity(acts.dropDatabase, owner);
      expect(dropped).toMatchObject({ databaseDropped: true, roleDropped: true });
      expect(await db.sql('SELECT 1 FROM pg_roles WHERE rolname = $1 UNION ALL SELECT 1 FROM pg_database WHERE datname = $1', [secret.username])).toEqual([]);
    } finally {
      await db.sql(`DROP OWNED BY ${adminName}`);
      await db.sql(`DROP ROLE ${adminName}`);
    }
  });

  describe('schema bootstrap', () => {
    const bootstrapSql = `
      CREATE TABLE IF NOT EXISTS boot (n int, by_user text);
      INSERT INTO boot VALUES (1, current_user);`;

    it('runs once, as the preview role, in its database; later calls see the record and skip it', async () => {
      const settings = testSettings();
      const acts = db.activities(settings);
      const namespace = await db.namespace();
      const owner = { namespace, workflowId: `wf-${namespace}` };
      const first = await runActivity(acts.provisionDatabase, { ...owner, bootstrapSql });
      expect(first.bootstrap).toEqual({ state: 'applied', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const second = await runActivity(acts.provisionDatabase, { ...owner, bootstrapSql: `${bootstrapSql} -- changed` });
      expect(second.bootstrap).toEqual({ state: 'already-applied', sha256: first.bootstrap.sha256 });

      const client = await connectWith(await db.readSecret(namespace, settings));
      try {
        expect((await client.query('SELECT n, by_user, pg_get_userbyid(c.relowner) AS owner FROM boot, pg_class c WHERE c.relname = $1', ['boot'])).rows).toEqual([
          { n: 1, by_user: first.role, owner: first.role },
        ]);
      } finally {
        await client.end();
      }
    });

    it.each([
      ['a syntax error, with its position', 'CREATE TABLE ok (n int);\nSELEC 1;', /syntax error at or near "SELEC" at character \d+ \(SQLSTATE 42601\)/],
      ['reaching for the admin', "ALTER ROLE postgres PASSWORD 'owned'", /permission denied|must be superuser|SQLSTATE 42501/],
      ['creating roles', 'CREATE ROLE escape LOGIN', /permission denied to create role/],
      ['creating databases', 'CREATE DATABASE escape', /cannot run inside a transaction block|permission denied to create database/],
      ['its own transaction control', 'CREATE TABLE half (n int); COMMIT; CREATE TABLE other (n int);', /ended the transaction itself/],
    ])('fails for good on %s, and records nothing', async (_what, sql, message) => {
      const settings = testSettings();
      const acts = db.activities(settings);
      const namespace = await db.namespace();
      const failure = await failureOf(runActivity(acts.provisionDatabase, { namespace, workflowId: `wf-${namespace}`, bootstrapSql: sql }));
      expect(failure).toMatchObject({ type: DatabaseFailureType.BootstrapFailed, nonRetryable: true });
      expect(failure.message).toMatch(message);
      const name = previewDatabaseName(settings, namespace);
      const [row] = await db.sql<{ comment: string }>("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1", [name]);
      expect(parseDatabaseComment(row?.comment)?.bootstrap).toBeUndefined();
      const pg = admin();
      expect(await canLogIn({ host: pg.host, port: String(pg.port), username: pg.user, password: pg.password, database: pg.database })).toBe('ok');
      expect(await db.sql("SELECT 1 FROM pg_roles WHERE rolname = 'escape'")).toEqual([]);
    });

    it('stops SQL that runs past the time limit, even when it lifts statement_timeout itself', async () => {
      const settings = testSettings({ bootstrap: { timeoutMs: 1_000 } });
      const acts = db.activities(settings);
      const namespace = await db.namespace();
      const started = Date.now();
      const failure = await failureOf(
        runActivity(acts.provisionDatabase, { namespace, workflowId: `wf-${namespace}`, bootstrapSql: 'SET statement_timeout = 0; SELECT pg_sleep(60);' }),
      );
      expect(failure).toMatchObject({ type: DatabaseFailureType.BootstrapFailed, nonRetryable: true });
      expect(failure.message).toMatch(/time limit/);
      expect(Date.now() - started).toBeLessThan(20_000);
    });

    it('refuses SQL over the size limit before anything is created', async () => {
      const settings = testSettings({ bootstrap: { maxBytes: 1_000 } });
      const acts = db.activities(settings);
      const namespace = await db.namespace();
      const failure = await failureOf(runActivity(acts.provisionDatabase, { namespace, workflowId: `wf-${namespace}`, bootstrapSql: `-- ${'x'.repeat(1_000)}` }));
      expect(failure).toMatchObject({ type: DatabaseFailureType.BootstrapFailed, nonRetryable: true });
      expect(await db.secrets.read(namespace, settings.secretName)).toBeUndefined();
      expect(await db.sql('SELECT 1 FROM pg_roles WHERE rolname = $1', [previewDatabaseName(settings, namespace)])).toEqual([]);
    });
  });
});
