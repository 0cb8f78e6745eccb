// Preview lifecycles through previewd with real Argo CD: create → Ready and close → namespace
// gone, over N sequential lifecycles (default 10), p50 and p95. The stack is the integration
// tests' (test/harness/global-setup.ts: Temporal dev server, kube-apiserver + etcd +
// kube-controller-manager, real Argo CD syncing the sample GitOps repository); the worker runs
// the real Kubernetes activities, GitHub reporting and the service chooser are in-process no-ops.
// Baseline: the same Application applied and deleted directly (no Temporal, no previewd), so the
// ratio is previewd's orchestration overhead over what Argo CD itself takes.
//
//   npm run bench:argocd [-- <lifecycles>]
import { NativeConnection, Worker, DefaultLogger, Runtime } from '@temporalio/worker';
import { repositoryConfigSchema } from '../../src/config';
import { buildApplication, namespaceNameFor, previewKeys, refOf } from '../../src/kubernetes';
import { previewWorkflowId } from '../../src/lifecycle';
import globalSetup, { stopAll } from '../harness/global-setup';
import { devServerClient, testKubeConfig, uniqueId } from '../harness';
import { RouteStatusWriter } from '../fakes/route-status-writer';
import { kubeFixture, kubeOnlyActivities, runActivity, sha, testServices, testSettings, uniquePreview } from '../integration/kubernetes/support';
import { prEventSignal, statusQuery, type PreviewLifecycleInput } from '../../workflows/contract';

const say = (line: string) => process.stdout.write(`${line}\n`);

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const summary = (what: string, ms: readonly number[]) => `${what}: p50 ${percentile(ms, 50)} ms, p95 ${percentile(ms, 95)} ms (n=${ms.length}, min ${Math.min(...ms)}, max ${Math.max(...ms)})`;

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const setupStarted = Date.now();
  await globalSetup();
  say(`stack up in ${Date.now() - setupStarted} ms`);
  const kube = kubeFixture();
  const settings = testSettings({ timeouts: { pollIntervalMs: 250, readyMs: 120_000, applicationDeletionMs: 120_000, namespaceDeletionMs: 120_000 } });
  const k8s = kube.activities(settings);
  const services = testServices();
  const activities = kubeOnlyActivities(k8s);
  const { client, connection } = await devServerClient();
  const native = await NativeConnection.connect({ address: connection.options.address });
  const taskQueue = uniqueId('bench-argocd');
  const worker = await Worker.create({ connection: native, taskQueue, workflowsPath: require.resolve('../../workflows'), activities });
  // No gateway controller runs here: the writer accepts every preview's route in its place.
  const gateway = RouteStatusWriter.forSettings(testKubeConfig(), { labelSelector: previewKeys(settings).repo }, settings).start(100);
  const ready: number[] = [];
  const gone: number[] = [];
  const direct: { ready: number[]; gone: number[] } = { ready: [], gone: [] };
  try {
    await worker.runUntil(async () => {
      for (let i = 0; i < n; i++) {
        const preview = uniquePreview();
        const config = repositoryConfigSchema.parse({ fullName: preview.repository, key: preview.repoKey, scope: 'all', services });
        const input: PreviewLifecycleInput = { pr: { repository: preview.repository, number: preview.prNumber, headSha: sha('1a'), labels: ['preview'], author: 'bench' }, config, options: { readinessTimeout: '120s', readinessSlice: '10s', retainAfterTeardown: '0s' } };
        const event = (action: 'opened' | 'closed') => ({ action, headSha: sha('1a'), labels: ['preview'], sender: 'bench', deliveryId: uniqueId('delivery') });
        const opened = Date.now();
        const handle = await client.workflow.signalWithStart('previewLifecycle', { workflowId: previewWorkflowId({ repository: preview.repository, number: preview.prNumber }), taskQueue, args: [input], signal: prEventSignal, signalArgs: [event('opened')] });
        const status = await until(async () => {
          const s = await handle.query(statusQuery);
          if (s.phase === 'Failed' || s.phase === 'Degraded') throw new Error(`preview ${s.phase}: ${s.failureReason ?? ''}`);
          return s.phase === 'Ready' ? s : undefined;
        }, 'Ready');
        ready.push(Date.now() - opened);
        const closed = Date.now();
        await handle.signal(prEventSignal, event('closed'));
        await handle.result();
        gone.push(Date.now() - closed);
        if ((await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: status.namespace ?? '' })) !== undefined) throw new Error(`namespace ${status.namespace} still exists`);
        say(`lifecycle ${i + 1}/${n}: create → Ready ${ready.at(-1)} ms, close → namespace gone ${gone.at(-1)} ms`);
      }
    });
    // Baseline: the same two Applications straight to the API server, Argo CD syncs them, delete, namespace gone.
    for (let i = 0; i < n; i++) {
      const preview = uniquePreview();
      const namespace = namespaceNameFor(settings, preview);
      const opened = Date.now();
      await kube.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      for (const service of services) await kube.api.apply(buildApplication(settings, preview, service, { headSha: sha('1a') }));
      await until(async () => ((await runActivity(k8s.waitReady, { preview, headSha: sha('1a'), services: services.map((s) => s.name), timeoutMs: 1 })).ready ? true : undefined), 'direct Ready');
      direct.ready.push(Date.now() - opened);
      const closed = Date.now();
      for (const service of services) await kube.api.delete(refOf(buildApplication(settings, preview, service, { headSha: sha('1a') })), 'Foreground');
      await until(async () => ((await kube.api.list('argoproj.io/v1alpha1', 'Application', { namespace: settings.argocd.namespace, labelSelector: `previewd.test/repo=${preview.repoKey}` })).length === 0 ? true : undefined), 'direct Applications gone');
      await kube.api.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
      await until(async () => ((await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace })) === undefined ? true : undefined), 'direct namespace gone');
      direct.gone.push(Date.now() - closed);
    }
  } finally {
    await gateway.stop();
    await native.close();
    await connection.close();
    await stopAll();
  }
  say('');
  say(`previewd with real Argo CD, ${n} sequential lifecycles, 2 services in 2 rollout phases:`);
  say(`  ${summary('create → Ready', ready)}`);
  say(`  ${summary('close → namespace gone', gone)}`);
  say(`direct (Applications applied and deleted by hand, same Argo CD):`);
  say(`  ${summary('create → Ready', direct.ready)}; previewd / direct p50 ${(percentile(ready, 50) / percentile(direct.ready, 50)).toFixed(2)}`);
  say(`  ${summary('close → namespace gone', direct.gone)}; previewd / direct p50 ${(percentile(gone, 50) / percentile(direct.gone, 50)).toFixed(2)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
