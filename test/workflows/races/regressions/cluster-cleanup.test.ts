import { type Client, type Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { createActivities } from '../../../../activities';
import { createJanitorActivities } from '../../../../activities/janitor';
import { KubernetesApiError } from '../../../../activities/kubernetes';
import { repositoryConfigSchema, type ClusterSettings, type RepositoryConfig } from '../../../../src/config';
import { namespaceNameFor, previewKeys } from '../../../../src/kubernetes';
import { previewWorkflowId } from '../../../../src/lifecycle';
import {
  JANITOR_WORKFLOW_TYPE,
  prEventSignal,
  statusQuery,
  type JanitorSummary,
  type PreviewActivities,
  type PreviewLifecycleInput,
  type PreviewOutcome,
  type PreviewRef,
  type PreviewStatus,
} from '../../../../workflows/contract';
import { devServerClient, testKubeConfig, uniqueId } from '../../../harness';
import { ARGOCD_NAMESPACE, kubeFixture, replicaStandIn, runActivity, sampleSource, sha, testSettings, uniquePreview, type KubeFixture } from '../../../integration/kubernetes/support';
import { bundlePreviewWorkflows, quietLogger, quietTemporalLogs } from '../../support';

// Smaller defects of issue 14 that leave things behind in the cluster or in the metrics. They
// run the real activities (createActivities) on the real API server with the real workflow on
// the dev server and real Argo CD syncing the sample GitOps repository, as in the other
// Kubernetes tests. GitHub is not
// configured: reporting is a no-op and the service chooser is the test's.

// Every service deploys the sample GitOps app `web` (healthy without pods), under its own name;
// none is exposed (no gateway controller runs here to accept its route, and these tests are not about routes).
const source = (name: string) => sampleSource('web', `registry.example.test/acme/${name}`);

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

let kube: KubeFixture;
let client: Client;
let connection: Connection;
let native: NativeConnection;
let bundle: WorkflowBundle;

beforeAll(async () => {
  quietTemporalLogs();
  kube = kubeFixture();
  ({ client, connection } = await devServerClient());
  native = await NativeConnection.connect({ address: connection.options.address });
  bundle = await bundlePreviewWorkflows();
});

afterAll(async () => {
  await native?.close();
  await connection?.close();
});

interface Lifecycle {
  readonly preview: PreviewRef;
  readonly namespace: string;
  signal(action: 'opened' | 'synchronize' | 'closed', headSha: string): Promise<void>;
  settled(headSha: string): Promise<PreviewStatus>;
  result(): Promise<PreviewOutcome>;
}

/** A preview of `config` run by a worker with `activities`, real Argo CD (pods stood in for), for the duration of `body`. */
async function withLifecycle(settings: ClusterSettings, preview: PreviewRef, config: RepositoryConfig, activities: PreviewActivities, body: (l: Lifecycle) => Promise<void>): Promise<void> {
  const namespace = namespaceNameFor(settings, preview);
  const argo = replicaStandIn(namespace);
  const taskQueue = uniqueId('cleanup');
  const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle, activities });
  const workflowId = previewWorkflowId({ repository: preview.repository, number: preview.prNumber });
  const event = (action: 'opened' | 'synchronize' | 'closed', headSha: string) => ({ action, headSha, labels: ['preview'], sender: 'dev', deliveryId: uniqueId('delivery') });
  const handle = () => client.workflow.getHandle(workflowId);
  try {
    await worker.runUntil(async () => {
      let started = false;
      await body({
        preview,
        namespace,
        async signal(action, headSha) {
          if (started) return handle().signal(prEventSignal, event(action, headSha));
          started = true;
          const input: PreviewLifecycleInput = {
            pr: { repository: preview.repository, number: preview.prNumber, headSha, labels: ['preview'], author: 'dev' },
            config,
            options: { readinessTimeout: '60s', readinessSlice: '5s', retainAfterTeardown: '0s' },
          };
          await client.workflow.signalWithStart('previewLifecycle', { workflowId, taskQueue, args: [input], signal: prEventSignal, signalArgs: [event(action, headSha)] });
        },
        settled: (headSha) =>
          eventually(async () => {
            const s = await handle().query(statusQuery);
            return (s.phase === 'Ready' && s.deployedHeadSha === headSha) || s.phase === 'Failed' || s.phase === 'Degraded' ? s : undefined;
          }, `Ready at ${headSha.slice(0, 7)}`),
        result: () => handle().result() as Promise<PreviewOutcome>,
      });
    });
  } finally {
    await argo.stop();
  }
}

test('destroyed previews leave no cost gauges', async () => {
  const settings = testSettings();
  const preview = uniquePreview();
  const config = repositoryConfigSchema.parse({ fullName: preview.repository, key: preview.repoKey, scope: 'all', services: [{ name: 'web', source: source('web') }] });
  const registry = new Registry();
  const activities = createActivities({ kubernetes: { kubeConfig: testKubeConfig(), settings }, metricsRegistry: registry });
  const series = `pr="${preview.prNumber}"`;

  await withLifecycle(settings, preview, config, activities, async (l) => {
    await l.signal('opened', sha('a1'));
    expect(await l.settled(sha('a1'))).toMatchObject({ phase: 'Ready' });
    expect(await registry.metrics()).toContain(series);
    await l.signal('closed', sha('a1'));
    expect(await l.result()).toMatchObject({ phase: 'Destroyed' });
  });

  const left = (await registry.metrics()).split('\n').filter((line) => line.includes(series));
  expect(left).toEqual([]);
});

test('services a later round no longer chooses lose their Applications', async () => {
  const settings = testSettings();
  const preview = uniquePreview();
  const config = repositoryConfigSchema.parse({
    fullName: preview.repository,
    key: preview.repoKey,
    scope: 'affected',
    services: [
      { name: 'api', phase: 610, source: source('api') },
      { name: 'www', phase: 650, source: source('www') },
      { name: 'docs', phase: 650, source: source('docs') },
    ],
  });
  let chosen = ['api', 'www', 'docs'];
  const activities = createActivities({
    kubernetes: { kubeConfig: testKubeConfig(), settings },
    // The chooser's answer is the test's: the first push touches everything, the second only www.
    overrides: { chooseServices: () => Promise.resolve({ services: chosen }) },
  });
  const keys = previewKeys(settings);
  const applications = async () =>
    (await kube.api.list('argoproj.io/v1alpha1', 'Application', { namespace: ARGOCD_NAMESPACE, labelSelector: `${keys.repo}=${preview.repoKey},${keys.pr}=${preview.prNumber}` }))
      .map((a) => `${a.metadata.labels?.[keys.service]}@${a.metadata.annotations?.[keys.headSha]?.slice(0, 2)}`)
      .sort();

  await withLifecycle(settings, preview, config, activities, async (l) => {
    await l.signal('opened', sha('a1'));
    expect(await l.settled(sha('a1'))).toMatchObject({ phase: 'Ready' });
    expect(await applications()).toEqual(['api@a1', 'docs@a1', 'www@a1']);

    chosen = ['www'];
    await l.signal('synchronize', sha('b2'));
    const ready = await l.settled(sha('b2'));
    expect(ready).toMatchObject({ phase: 'Ready' });
    expect(ready.services.map((svc) => svc.name)).toEqual(['www']);
    // The round issued the deletions; Argo CD's finalizer prunes before each Application goes.
    const left = await eventually(async () => {
      const now = await applications();
      return now.length === 1 ? now : undefined;
    }, 'the deselected Applications gone', 30_000).catch(() => applications());
    expect(left).toEqual(['www@b2']);

    await l.signal('closed', sha('b2'));
    await l.result();
  });
});

test('the janitor collects a previewd Application whose namespace is gone and whose owner is not running', async () => {
  const prefix = `j${Math.random().toString(36).slice(2, 8)}`;
  const settings = testSettings({ namespacePrefix: prefix });
  const preview = uniquePreview();
  const namespace = namespaceNameFor(settings, preview);
  const acts = kube.activities(settings);
  const argo = replicaStandIn(namespace);
  let app: { apiVersion: string; kind: string; name: string; namespace: string } | undefined;
  try {
    // What a deploy attempt that outlived its timeout leaves: it applied the Application after
    // teardown had listed them, and teardown went on to delete the namespace.
    await runActivity(acts.ensureNamespace, { preview, headSha: sha('c3'), workflowId: previewWorkflowId({ repository: preview.repository, number: preview.prNumber }), expiresAt: '2030-01-01T00:00:00.000Z' });
    const web = repositoryConfigSchema.parse({ fullName: preview.repository, key: preview.repoKey, services: [{ name: 'web', source: source('web') }] }).services;
    const deployed = await runActivity(acts.deployApps, { preview, headSha: sha('c3'), services: web });
    app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name: deployed.applications[0]?.application as string, namespace: ARGOCD_NAMESPACE };
    const ref = app;
    // Argo CD synced it before the namespace went away.
    await eventually(async () => ((await kube.api.get(ref))?.status as { sync?: { status?: string } } | undefined)?.sync?.status, 'the Application synced');
    await kube.api.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, 'Background');
    await eventually(async () => ((await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace })) ? undefined : true), 'the namespace gone');
    expect(await kube.api.get(ref)).toBeDefined();

    const taskQueue = uniqueId('janitor');
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowBundle: await bundleJanitor(),
      activities: createJanitorActivities({ kubernetes: { kubeConfig: testKubeConfig(), settings }, temporalClient: client, metricsRegistry: new Registry() }),
    });
    const summary = (await worker.runUntil(client.workflow.execute(JANITOR_WORKFLOW_TYPE, { taskQueue, workflowId: uniqueId('janitor-run'), args: [{ retentionMs: 0, dryRun: false }] }))) as JanitorSummary;

    expect(summary.failed).toEqual([]);
    expect(summary.applications).toMatchObject({ deleted: [ref.name], failed: [] });
    // The janitor's teardown waits for the finalizer; a few seconds' grace for Argo CD's prune.
    const collected = await eventually(async () => ((await kube.api.get(ref)) ? undefined : true), 'the Application collected', 5_000).catch(() => false);
    expect({ application: ref.name, collected }).toEqual({ application: ref.name, collected: true });
  } finally {
    // Whatever the janitor did, nothing of this test stays in the shared cluster.
    if (app) {
      const leftover = app;
      await kube.api.delete(leftover).catch((err: unknown) => {
        if (!(err instanceof KubernetesApiError && err.code === 404)) throw err;
      });
      await eventually(async () => ((await kube.api.get(leftover)) ? undefined : true), 'the leftover Application gone', 30_000);
    }
    await argo.stop();
  }
});

/** The janitor integration test's bundle: the real janitor workflow. */
function bundleJanitor(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../../../fixtures/workflows/janitor'), logger: quietLogger });
}
