import { Client, type Connection, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { Registry, type Counter } from 'prom-client';
import { createDatabaseActivities, createDatabaseContext, type DatabaseContext, type PreviewSecretStore } from '../../../activities/database';
import { createJanitorActivities, JANITOR_DATABASES_DROPPED_METRIC, JANITOR_DATABASES_SKIPPED_METRIC } from '../../../activities/janitor';
import { previewDatabaseName, type DatabaseSettings, type SecretKey } from '../../../src/database';
import { devServerClient, testKubeConfig, uniqueId } from '../../harness';
import { admin, connectWith, databaseFixture, runActivity, testSettings as databaseSettings, type DatabaseFixture } from '../database/support';
import { kubeFixture, testSettings, type KubeFixture } from '../kubernetes/support';
import { JANITOR_WORKFLOW_TYPE, type DatabaseSkipReason, type JanitorActivities, type JanitorInput, type JanitorSummary } from '../../../workflows/contract';
import type { ClusterSettings } from '../../../src/config';

// The janitor's database pass on the real servers: PostgreSQL holds the preview roles and
// databases (with previewd's ownership markers), the Temporal dev server answers whether their
// owners still run, and the API server whether their namespaces still exist. Each test works
// under its own namespace prefix and database prefix, so it sees only what it made.

const RETENTION_MS = 60_000;
const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Secrets kept in memory: the janitor never reads them, and orphans have no namespace to hold one. */
function memorySecrets(): PreviewSecretStore & { readonly stored: Map<string, Partial<Record<SecretKey, string>>> } {
  const stored = new Map<string, Partial<Record<SecretKey, string>>>();
  return {
    stored,
    read: (namespace, name) => Promise.resolve(stored.get(`${namespace}/${name}`)),
    write(secret) {
      const decoded = Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
      stored.set(`${secret.metadata.namespace}/${secret.metadata.name}`, decoded);
      return Promise.resolve();
    },
  };
}

async function dropCounters(registry: Registry): Promise<{ dropped: number; skipped: Partial<Record<DatabaseSkipReason, number>> }> {
  const dropped = await (registry.getSingleMetric(JANITOR_DATABASES_DROPPED_METRIC) as Counter).get();
  const skipped = await (registry.getSingleMetric(JANITOR_DATABASES_SKIPPED_METRIC) as Counter<'reason'>).get();
  const nonZero = skipped.values.filter((v) => v.value > 0).map((v) => [v.labels.reason as DatabaseSkipReason, v.value] as const);
  return { dropped: dropped.values[0]?.value ?? 0, skipped: Object.fromEntries(nonZero) };
}

describe('orphan-database janitor on PostgreSQL, the dev server and the control plane', () => {
  let kube: KubeFixture;
  let db: DatabaseFixture;
  let client: Client;
  let connection: Connection;
  let native: NativeConnection;
  let bundle: WorkflowBundle;
  const contexts: DatabaseContext[] = [];
  const owners: WorkflowHandle[] = [];
  const namespaces: string[] = [];

  beforeAll(async () => {
    kube = kubeFixture();
    db = await databaseFixture();
    ({ client, connection } = await devServerClient());
    native = await NativeConnection.connect({ address: connection.options.address });
    bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../fixtures/workflows/janitor') });
  });

  afterAll(async () => {
    for (const owner of owners) await owner.terminate('test over').catch(() => undefined);
    for (const name of namespaces) await kube.api.delete({ apiVersion: 'v1', kind: 'Namespace', name }, 'Background').catch(() => undefined);
    await Promise.all(contexts.map((c) => c.close()));
    await db?.close();
    await native?.close();
    await connection?.close();
  });

  /** Both prefixes unique to the test: the cluster's namespace prefix and the database name prefix. */
  function prefixes(): { prefix: string; cluster: ClusterSettings; settings: DatabaseSettings } {
    const prefix = `j${Math.random().toString(36).slice(2, 8)}`;
    return { prefix, cluster: testSettings({ namespacePrefix: prefix }), settings: databaseSettings({ namespacePrefix: prefix }) };
  }

  /** A database context whose ownership markers are dated `ageMs` ago. */
  function context(settings: DatabaseSettings, ageMs: number, secrets: PreviewSecretStore): DatabaseContext {
    const ctx = createDatabaseContext({ admin: admin(), settings, secrets, now: () => Date.now() - ageMs });
    contexts.push(ctx);
    return ctx;
  }

  async function provision(ctx: DatabaseContext, namespace: string, workflowId: string): Promise<string> {
    return (await runActivity(createDatabaseActivities(ctx).provisionDatabase, { namespace, workflowId })).database;
  }

  function janitorActivities(cluster: ClusterSettings, settings: DatabaseSettings, temporalClient: Client, registry: Registry): JanitorActivities {
    return createJanitorActivities({ kubernetes: { kubeConfig: testKubeConfig(), settings: cluster }, temporalClient, metricsRegistry: registry, databases: context(settings, 0, memorySecrets()) });
  }

  async function runJanitor(activities: JanitorActivities, input: JanitorInput): Promise<JanitorSummary> {
    const taskQueue = uniqueId('janitor-db');
    const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle, activities });
    return worker.runUntil(client.workflow.execute(JANITOR_WORKFLOW_TYPE, { taskQueue, workflowId: uniqueId('janitor-db-run'), args: [input] }) as Promise<JanitorSummary>);
  }

  /** A lifecycle run that stays Running (its queue has no worker), listed by visibility. */
  async function runningOwner(prefix: string): Promise<string> {
    const workflowId = `preview:acme/${prefix}-own#1`;
    owners.push(await client.workflow.start('previewLifecycle', { taskQueue: uniqueId('nobody-polls'), workflowId, args: [{}] }));
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(200)) {
      const { count } = await client.workflow.count(`WorkflowType = 'previewLifecycle' AND ExecutionStatus = 'Running' AND WorkflowId = '${workflowId}'`);
      if (count === 1) return workflowId;
    }
    throw new Error('the owner never showed up in visibility');
  }

  async function completedOwner(prefix: string): Promise<string> {
    const taskQueue = uniqueId('completes');
    const workflowId = `preview:acme/${prefix}-done#1`;
    const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle, activities: {} });
    await worker.runUntil(client.workflow.execute('finishesAtOnce', { taskQueue, workflowId }));
    return workflowId;
  }

  const exists = async (name: string) =>
    (await db.sql<{ n: number }>('SELECT ((SELECT count(*) FROM pg_roles WHERE rolname = $1) + (SELECT count(*) FROM pg_database WHERE datname = $1))::int AS n', [name]))[0]?.n ?? 0;

  it('drops only databases whose workflow is positively gone and whose namespace is gone, older than the retention; a dry run first lists them', async () => {
    const { prefix, cluster, settings } = prefixes();
    const secrets = memorySecrets();
    const old = context(settings, 2 * HOUR, secrets);
    const neverStarted = (what: string) => `preview:acme/${prefix}-${what}-never#1`;

    const orphan = await provision(old, `${prefix}-orph-1`, neverStarted('orph'));
    const done = await provision(old, `${prefix}-done-1`, await completedOwner(prefix));
    const owned = await provision(old, `${prefix}-own-1`, await runningOwner(prefix));
    const liveNamespace = `${prefix}-live-1`;
    await kube.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: liveNamespace } });
    namespaces.push(liveNamespace);
    const withNamespace = await provision(old, liveNamespace, neverStarted('live'));
    const young = await provision(context(settings, 0, secrets), `${prefix}-young-1`, neverStarted('young'));
    // Under the prefix, but not previewd's: no ownership marker.
    const handMade = previewDatabaseName(settings, `${prefix}-hand-1`);
    await db.sql(`CREATE ROLE ${handMade}`);
    // A session of the orphan's own role, mid-transaction, as a preview's workload would hold it.
    const session = await connectWith(secrets.stored.get(`${prefix}-orph-1/${settings.secretName}`) ?? {});
    await session.query('BEGIN');
    await session.query('CREATE TABLE held (id int)');

    const dryRegistry = new Registry();
    const dry = await runJanitor(janitorActivities(cluster, settings, client, dryRegistry), { retentionMs: RETENTION_MS, dryRun: true });
    expect(dry.databases).toMatchObject({ found: 6, dropped: [], failed: [] });
    expect([...(dry.databases?.wouldDrop ?? [])].sort()).toEqual([done, orphan].sort());
    for (const name of [orphan, done]) expect({ name, kept: await exists(name) }).toEqual({ name, kept: 2 });

    const registry = new Registry();
    const summary = await runJanitor(janitorActivities(cluster, settings, client, registry), { retentionMs: RETENTION_MS, dryRun: false });
    expect([...(summary.databases?.dropped ?? [])].sort()).toEqual([done, orphan].sort());
    expect(summary.databases).toMatchObject({ found: 6, wouldDrop: [], failed: [], skippedByReason: { owned: 1, 'namespace-exists': 1, 'too-young': 1, unmarked: 1 } });
    expect(Object.fromEntries((summary.databases?.skipped ?? []).map((s) => [s.name, s.reason]))).toEqual({
      [owned]: 'owned',
      [withNamespace]: 'namespace-exists',
      [young]: 'too-young',
      [handMade]: 'unmarked',
    });
    expect(await dropCounters(registry)).toEqual({ dropped: 2, skipped: { owned: 1, 'namespace-exists': 1, 'too-young': 1, unmarked: 1 } });

    // Role and database gone; the open session was ended by the drop; everything else kept.
    for (const name of [orphan, done]) expect({ name, left: await exists(name) }).toEqual({ name, left: 0 });
    await expect(session.query('SELECT 1')).rejects.toThrow();
    await session.end().catch(() => undefined);
    for (const name of [owned, withNamespace, young]) expect({ name, kept: await exists(name) }).toEqual({ name, kept: 2 });
    expect(await exists(handMade)).toBe(1);
  });

  it('drops nothing when visibility fails, in the scan and in the re-check right before a drop', async () => {
    const { prefix, cluster, settings } = prefixes();
    const orphan = await provision(context(settings, 2 * HOUR, memorySecrets()), `${prefix}-orph-1`, `preview:acme/${prefix}-orph-never#1`);
    const registry = new Registry();
    // Same server, a Temporal namespace that does not exist: "namespace not found" must not read as "workflow not found".
    const lost = new Client({ connection, namespace: uniqueId('no-such-namespace') });
    const blind = janitorActivities(cluster, settings, lost, registry);

    const summary = await runJanitor(blind, { retentionMs: RETENTION_MS, dryRun: false });
    expect(summary.databases).toMatchObject({ found: 1, dropped: [], failed: [], skippedByReason: { 'owner-unconfirmed': 1 } });
    expect(summary.databases?.skipped[0]?.detail).toMatch(/visibility query failed: .*NamespaceNotFound/);

    // The drop's own re-check, given a candidate the scan would have confirmed.
    const candidate = { name: orphan, namespace: `${prefix}-orph-1`, workflowId: `preview:acme/${prefix}-orph-never#1`, ageMs: 2 * HOUR, detail: 'test' };
    expect(await runActivity(blind.dropOrphanDatabase, { orphan: candidate, retentionMs: RETENTION_MS })).toMatchObject({ outcome: 'skipped', reason: 'owner-unconfirmed' });
    expect(await exists(orphan)).toBe(2);
  });

  it('keeps a database whose marker changed between the scan and the drop', async () => {
    const { prefix, cluster, settings } = prefixes();
    const namespace = `${prefix}-orph-1`;
    const orphan = await provision(context(settings, 2 * HOUR, memorySecrets()), namespace, `preview:acme/${prefix}-orph-never#1`);
    const acts = janitorActivities(cluster, settings, client, new Registry());
    const candidate = { name: orphan, namespace, workflowId: `preview:acme/${prefix}-scanned#1`, ageMs: 2 * HOUR, detail: 'test' };
    expect(await runActivity(acts.dropOrphanDatabase, { orphan: candidate, retentionMs: RETENTION_MS })).toMatchObject({ outcome: 'skipped', reason: 'changed' });
    expect(await exists(orphan)).toBe(2);
  });

  it('finds nothing, and says so, on a worker without a databases section', async () => {
    const { cluster } = prefixes();
    const acts = createJanitorActivities({ kubernetes: { kubeConfig: testKubeConfig(), settings: cluster }, temporalClient: client });
    const summary = await runJanitor(acts, { retentionMs: RETENTION_MS, dryRun: false });
    expect(summary.databases).toBeUndefined();
  });
});
