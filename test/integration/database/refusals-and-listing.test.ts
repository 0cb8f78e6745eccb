import { DatabaseFailureType } from '../../../activities/database';
import { previewDatabaseName, renderComment, ownershipMarker, screenPreviewDatabase } from '../../../src/database';
import { freePorts } from '../../../src/dev/free-ports';
import { admin, databaseFixture, failureOf, runActivity, testSettings, type DatabaseFixture } from './support';

// Hostile input changes nothing, and the janitor's listing shows exactly this installation's
// roles and databases with the markers it decides from.

describe('database activities: refusals', () => {
  let db: DatabaseFixture;
  beforeAll(async () => {
    db = await databaseFixture();
  });
  afterAll(async () => {
    await db.close();
  });

  const hostile: [string, unknown][] = [
    ['a quote', "pr-a'b-1"],
    ['a double quote', 'pr-a"; DROP DATABASE postgres; --'],
    ['a semicolon', 'pr-a;b-1'],
    ['uppercase', 'pr-Shop-1'],
    ['more than 63 bytes', `pr-${'a'.repeat(61)}`],
    ['a namespace outside the prefix', 'kube-system'],
    ['a prefix lookalike', 'prod-shop-1'],
    ['no string at all', { namespace: 'pr-x-1' }],
  ];

  it.each(hostile)('refuses a namespace with %s before touching the server, for provision and drop', async (_what, namespace) => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const statementsBefore = await db.sql<{ n: number }>('SELECT count(*)::int AS n FROM pg_roles');
    const calls: ((input: { namespace: string; workflowId: string }) => Promise<unknown>)[] = [acts.provisionDatabase, acts.dropDatabase];
    for (const call of calls) {
      const failure = await failureOf(runActivity(call, { namespace: namespace as string, workflowId: 'wf-hostile' }));
      expect(failure).toMatchObject({ type: DatabaseFailureType.NameRefused, nonRetryable: true });
    }
    expect(await db.sql('SELECT count(*)::int AS n FROM pg_roles')).toEqual(statementsBefore);
    expect((await runActivity(acts.listPreviewDatabases, undefined)).entries).toEqual([]);
  });

  it('fails for good on a wrong admin password, and retries an unreachable server', async () => {
    const settings = testSettings();
    const namespace = 'pr-shop-1';
    const wrongPassword = db.activities(settings, { admin: { ...admin(), password: 'not-the-password' } });
    expect(await failureOf(runActivity(wrongPassword.provisionDatabase, { namespace, workflowId: 'wf' }))).toMatchObject({
      type: DatabaseFailureType.AuthFailed,
      nonRetryable: true,
    });
    const closed = await freePorts(1);
    const unreachable = db.activities(settings, { admin: { ...admin(), port: closed[0] ?? 1 } });
    expect(await failureOf(runActivity(unreachable.dropDatabase, { namespace, workflowId: 'wf' }))).toMatchObject({
      type: DatabaseFailureType.Unavailable,
      nonRetryable: false,
    });
  });

  it('refuses an empty workflow id (ownership must name an owner)', async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const failure = await failureOf(runActivity(acts.provisionDatabase, { namespace: 'pr-shop-1', workflowId: '' }));
    expect(failure).toMatchObject({ type: DatabaseFailureType.NameRefused, nonRetryable: true });
  });
});

describe('listPreviewDatabases (for the janitor)', () => {
  let db: DatabaseFixture;
  beforeAll(async () => {
    db = await databaseFixture();
  });
  afterAll(async () => {
    await db.close();
  });

  it("lists this prefix's roles and databases with their markers; screening and dropping takes only previewd's own", async () => {
    const settings = testSettings();
    const acts = db.activities(settings);
    const [live, orphan] = [await db.namespace(), await db.namespace()];
    await runActivity(acts.provisionDatabase, { namespace: live, workflowId: `wf-${live}` });
    await runActivity(acts.provisionDatabase, { namespace: orphan, workflowId: `wf-${orphan}` });
    // A crash after the role's transaction and before CREATE DATABASE leaves a marked role alone.
    const roleOnlyNamespace = 'pr-crashed-1';
    const roleOnly = previewDatabaseName(settings, roleOnlyNamespace);
    const marker = ownershipMarker({ namespace: roleOnlyNamespace, workflowId: 'wf-crashed', createdAt: '2020-01-01T00:00:00.000Z' });
    await db.sql(`CREATE ROLE ${roleOnly} LOGIN; COMMENT ON ROLE ${roleOnly} IS '${renderComment(marker)}'`);
    // Things previewd did not make: a person's role under the prefix, another prefix, a name that needs quoting.
    const handMade = `${settings.prefix}_reporting`;
    const otherPrefix = `x${settings.prefix}_pr_shop_1`;
    const quoted = `${settings.prefix}_Quoted`;
    await db.sql(`CREATE ROLE ${handMade}; CREATE ROLE ${otherPrefix}; CREATE ROLE "${quoted}"`);
    await db.sql(`CREATE DATABASE ${otherPrefix} OWNER ${otherPrefix}`); // not in a multi-statement string: it refuses transactions
    try {
      const { entries } = await runActivity(acts.listPreviewDatabases, undefined);
      const [liveName, orphanName] = [previewDatabaseName(settings, live), previewDatabaseName(settings, orphan)];
      expect(entries.map((e) => e.name).sort()).toEqual([liveName, orphanName, handMade, quoted, roleOnly].sort());
      const byName = new Map(entries.map((e) => [e.name, e]));
      expect(byName.get(liveName)).toEqual({
        name: liveName,
        role: { marker: expect.objectContaining({ managedBy: 'previewd', namespace: live, workflowId: `wf-${live}` }) },
        database: { owner: liveName, comment: expect.objectContaining({ namespace: live, workflowId: `wf-${live}` }) },
      });
      expect(byName.get(roleOnly)).toEqual({ name: roleOnly, role: { marker } });
      expect(byName.get(handMade)).toEqual({ name: handMade, role: {} });

      // The janitor's offline screen (everything counts as old enough here), then the drop of the candidates.
      const screened = entries.map((e) => screenPreviewDatabase(e, { naming: settings, nowMs: Date.now() + 1_000, retentionMs: 0 }));
      const candidates = screened.filter((s) => s.kind === 'candidate');
      expect(candidates.map((c) => c.name).sort()).toEqual([liveName, orphanName, roleOnly].sort());
      expect(screened.filter((s) => s.kind === 'skip').map((s) => [s.name, s.kind === 'skip' && s.reason])).toEqual(
        expect.arrayContaining([
          [handMade, 'unmarked'],
          [quoted, 'malformed'],
        ]),
      );
      // (Whether the owning workflow is gone is the janitor's owner verdict; here the orphan and the crashed role are.)
      for (const c of candidates.filter((x) => x.name !== liveName)) {
        if (c.kind === 'candidate') await runActivity(acts.dropDatabase, { namespace: c.namespace, workflowId: c.workflowId });
      }
      expect((await runActivity(acts.listPreviewDatabases, undefined)).entries.map((e) => e.name).sort()).toEqual([liveName, handMade, quoted].sort());
      expect(await db.sql('SELECT datname FROM pg_database WHERE datname = $1', [otherPrefix])).toEqual([{ datname: otherPrefix }]);
    } finally {
      await db.sql(`DROP DATABASE ${otherPrefix}`);
      await db.sql(`DROP ROLE ${handMade}; DROP ROLE ${otherPrefix}; DROP ROLE "${quoted}"`);
    }
  });
});
