import { NativeConnection, Worker } from '@temporalio/worker';
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Registry, type Histogram } from 'prom-client';
import { createActivities } from '../../../activities';
import { PREVIEW_CREATE_DURATION_METRIC, PREVIEW_DELETE_DURATION_METRIC } from '../../../activities/metrics';
import { repositoryConfigSchema, type RepositoryConfig } from '../../../src/config';
import { previewDatabaseName, type DatabaseSettings } from '../../../src/database';
import { namespaceNameFor } from '../../../src/kubernetes';
import { previewWorkflowId } from '../../../src/lifecycle';
import { FakeGitHub } from '../../fakes/github-server';
import { RouteStatusWriter } from '../../fakes/route-status-writer';
import { devServerClient, testKubeConfig, uniqueId } from '../../harness';
import { kubeFixture, sha, testServices, testSettings, uniquePreview } from '../kubernetes/support';
import { connectWith, databaseFixture, testSettings as databaseSettings, type DatabaseFixture } from './support';
import {
  FailureType,
  prEventSignal,
  statusQuery,
  type PreviewLifecycleInput,
  type PreviewOutcome,
  type PreviewRef,
  type PreviewReport,
  type PreviewStatus,
} from '../../../workflows/contract';

// A preview with a database, end to end: the lifecycle workflow on the Temporal dev server with
// previewd's own activity composition (createActivities), the real control plane synced by real
// Argo CD, the real PostgreSQL, and the GitHub stand-in serving the bootstrap file through the
// contents API. Reports and the service choice are plain functions (other suites cover them).

const TOKEN = 'ghp_databaseLifecycleToken0000000000000';
const BOOTSTRAP = 'CREATE TABLE orders (id bigint PRIMARY KEY, note text);';

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err instanceof Error ? err : new Error(JSON.stringify(err));
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** A history as Temporal's tools export it, followed by the same with every payload decoded (JSON in UTF-8), so a secret in any of them shows. */
function historyText(history: Parameters<typeof historyToJSON>[0]): string {
  const json = historyToJSON(history);
  const decoded = json.replace(/"data":\s*"([A-Za-z0-9+/=]*)"/g, (_m, b64: string) => `"data":${JSON.stringify(Buffer.from(b64, 'base64').toString('utf8'))}`);
  return `${json}\n${decoded}`;
}

const event = (action: 'opened' | 'synchronize' | 'closed', headSha: string) => ({ action, headSha, labels: ['preview'], sender: 'dev', deliveryId: uniqueId('delivery') });

async function sampleCount(registry: Registry, name: string): Promise<number> {
  const metric = registry.getSingleMetric(name) as Histogram | undefined;
  const values = metric ? (await metric.get()).values : [];
  return values.find((v) => v.metricName === `${name}_count`)?.value ?? 0;
}

describe('a preview with a database (dev server, control plane with Argo CD, PostgreSQL, GitHub stand-in)', () => {
  const kube = kubeFixture();
  const cluster = testSettings();
  let db: DatabaseFixture;
  let settings: DatabaseSettings;
  let github: FakeGitHub;
  let client: Client;
  let connection: Connection;
  let native: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const registry = new Registry();
  const reports: PreviewReport[] = [];
  const taskQueue = uniqueId('database-lifecycle');

  beforeAll(async () => {
    [db, github] = await Promise.all([databaseFixture(), FakeGitHub.start({ tokens: [TOKEN] })]);
    settings = databaseSettings({ namespacePrefix: cluster.namespacePrefix });
    ({ client, connection } = await devServerClient());
    native = await NativeConnection.connect({ address: connection.options.address });
    const activities = createActivities({
      kubernetes: { kubeConfig: testKubeConfig(), settings: cluster },
      github: { auth: { type: 'token', token: TOKEN }, apiBaseUrl: github.url },
      database: db.context(settings),
      temporalClient: client,
      metricsRegistry: registry,
      overrides: {
        chooseServices: (input) => Promise.resolve({ services: input.services.map((s) => s.name) }),
        reportPreview: (report) => {
          reports.push(report);
          return Promise.resolve();
        },
      },
    });
    worker = await Worker.create({ connection: native, taskQueue, workflowsPath: require.resolve('../../../workflows'), activities });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await native?.close();
    await connection?.close();
    await github?.close();
    await db?.close();
  });

  function repository(preview: PreviewRef, database: RepositoryConfig['database']): RepositoryConfig {
    return repositoryConfigSchema.parse({ fullName: preview.repository, key: preview.repoKey, scope: 'all', services: testServices(), database });
  }

  async function open(preview: PreviewRef, config: RepositoryConfig, headSha: string): Promise<WorkflowHandle> {
    const input: PreviewLifecycleInput = {
      pr: { repository: preview.repository, number: preview.prNumber, headSha, labels: ['preview'], author: 'dev' },
      config,
      options: { readinessTimeout: '90s', retainAfterTeardown: '0s' },
    };
    return client.workflow.signalWithStart('previewLifecycle', {
      workflowId: previewWorkflowId({ repository: preview.repository, number: preview.prNumber }),
      taskQueue,
      args: [input],
      signal: prEventSignal,
      signalArgs: [event('opened', headSha)],
    });
  }

  const settled = (handle: WorkflowHandle, head: string) => async () => {
    const s: PreviewStatus = await handle.query(statusQuery);
    return (s.phase === 'Ready' && s.deployedHeadSha === head) || s.phase === 'Failed' || s.phase === 'Degraded' ? s : undefined;
  };

  const catalogEntries = async (name: string) =>
    (await db.sql<{ n: number }>('SELECT ((SELECT count(*) FROM pg_roles WHERE rolname = $1) + (SELECT count(*) FROM pg_database WHERE datname = $1))::int AS n', [name]))[0]?.n;

  it('provisions the database with the bootstrap from the head SHA, keeps the password out of history, and drops it at teardown with a session open', async () => {
    const preview = uniquePreview();
    const namespace = namespaceNameFor(cluster, preview);
    const first = sha('d1');
    github.setFile(preview.repository, first, 'db/schema.sql', BOOTSTRAP);
    // No gateway controller runs here: the writer accepts the preview's routes in its place.
    const gateway = new RouteStatusWriter(testKubeConfig(), namespace, { name: 'shared', namespace: 'gateway-system', sectionName: 'https' }).start();
    try {
      await databaseLifecycle(preview, namespace, first);
    } finally {
      await gateway.stop();
    }
  });

  async function databaseLifecycle(preview: PreviewRef, namespace: string, first: string): Promise<void> {
    const name = previewDatabaseName(settings, namespace);
    const started = Date.now();
    const handle = await open(preview, repository(preview, { enabled: true, bootstrap: { path: 'db/schema.sql', ifMissing: 'fail' } }), first);

    const ready = await eventually(settled(handle, first), 'Ready');
    process.stdout.write(`database lifecycle: Ready in ${Date.now() - started} ms\n`);
    expect({ phase: ready.phase, reason: ready.failureReason }).toEqual({ phase: 'Ready', reason: undefined });
    expect(ready.database).toMatchObject({ name, secretName: settings.secretName });
    expect(ready.database?.bootstrapSha256).toMatch(/^[0-9a-f]{64}$/);

    // The Secret in the namespace logs in as the preview's role, into a database with the bootstrap's table.
    const secret = await db.readSecret(namespace, settings);
    expect(secret).toMatchObject({ database: name, username: name });
    const session = await connectWith(secret);
    await session.query('BEGIN');
    await session.query("INSERT INTO orders (id, note) VALUES (1, 'held open')");

    // Nothing of the password in the run's history; the run did record the database and the bootstrap SQL.
    const text = historyText(await handle.fetchHistory());
    expect(text).toContain(name);
    expect(text).toContain(BOOTSTRAP);
    const password = secret.password ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);
    for (const form of [password, Buffer.from(password).toString('base64'), encodeURIComponent(password)]) expect(text.includes(form)).toBe(false);

    await handle.signal(prEventSignal, event('closed', first));
    const outcome = (await handle.result()) as PreviewOutcome;
    process.stdout.write(`database lifecycle: whole run ${Date.now() - started} ms\n`);
    expect(outcome).toMatchObject({ phase: 'Destroyed', reason: 'pull request closed' });
    expect(outcome.status.database).toBeUndefined();
    expect(await catalogEntries(name)).toBe(0);
    // The open transaction's session was ended by the drop.
    await expect(session.query('SELECT 1')).rejects.toThrow();
    await session.end().catch(() => undefined);
    expect(await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace })).toBeUndefined();
    expect(reports.filter((r) => r.preview.repository === preview.repository).at(-1)).toMatchObject({ final: true, phase: 'Destroyed' });
    // The workflow's own create and delete durations reached the worker's registry once each.
    expect(await sampleCount(registry, PREVIEW_CREATE_DURATION_METRIC)).toBe(1);
    expect(await sampleCount(registry, PREVIEW_DELETE_DURATION_METRIC)).toBe(1);
  }

  it('refuses a hand-written bootstrap path outside the repository: the preview fails clearly and no database is made', async () => {
    const preview = uniquePreview();
    const namespace = namespaceNameFor(cluster, preview);
    const name = previewDatabaseName(settings, namespace);
    const good = repository(preview, { enabled: true });
    // The config schema refuses it at start-up already (asserted here); a workflow input can be written by hand.
    expect(() => repository(preview, { enabled: true, bootstrap: { path: '../../etc/passwd', ifMissing: 'fail' } })).toThrow(/segments/);
    const hostile = { ...good, database: { enabled: true, bootstrap: { path: '../../etc/passwd', ifMissing: 'fail' as const } } };
    const handle = await open(preview, hostile, sha('e2'));
    const failed = await eventually(settled(handle, sha('e2')), 'Failed');
    expect(failed.phase).toBe('Failed');
    expect(failed.failureReason).toMatch(/bootstrap path .*refused/);
    expect(failed.lastError?.type).toBe(FailureType.ValidationError);
    expect(failed.database).toBeUndefined();
    expect(await catalogEntries(name)).toBe(0);

    await handle.signal(prEventSignal, event('closed', sha('e2')));
    expect(await handle.result()).toMatchObject({ phase: 'Destroyed' });
    expect(await catalogEntries(name)).toBe(0);
  });
});
