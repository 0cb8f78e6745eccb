import type { Client } from '@temporalio/client';
import { ClusterWatch } from '../../../src/worker';
import { buildApplication, buildNamespace } from '../../../src/kubernetes';
import { previewWorkflowId } from '../../../src/lifecycle';
import { testKubeConfig } from '../../harness';
import { kubeFixture, testClusterInput, testServices, testSettings, uniquePreview, type KubeFixture } from './support';

// The worker's cluster watch against the real API server: which changes of previewd's
// Applications and namespaces wake which workflow. The Temporal client is a recorder here: what
// the signal does to a workflow is tested in test/workflows (a real server), and this checks
// only who is woken, and when.

let kube: KubeFixture;
// Applications live in a namespace no Argo CD reconciles, so this test alone decides which
// changes happen (real Argo CD would write status at its own pace); how a real sync wakes a
// waiting preview is covered by the end-to-end lifecycle test.
const APPS_NAMESPACE = `watch-${process.pid}`;
const settings = testSettings({ argocd: { ...testClusterInput().argocd, namespace: APPS_NAMESPACE } });
const signals: { workflowId: string; change: unknown }[] = [];
const recorder = { workflow: { getHandle: (workflowId: string) => ({ signal: (_def: unknown, change: unknown) => (signals.push({ workflowId, change }), Promise.resolve()) }) } } as unknown as Client;
let watch: ClusterWatch;

beforeAll(async () => {
  kube = kubeFixture();
  await kube.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: APPS_NAMESPACE } });
  watch = new ClusterWatch({ kubeConfig: testKubeConfig(), settings, client: recorder });
  watch.start();
});

afterAll(async () => {
  await watch.stop();
  await kube.api.delete({ apiVersion: 'v1', kind: 'Namespace', name: APPS_NAMESPACE });
});

async function until(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; signals: ${JSON.stringify(signals)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('wakes the preview on a status change that readiness reads and when its Application or namespace is gone, not on a first sight or an irrelevant change', async () => {
  const preview = uniquePreview();
  const workflowId = previewWorkflowId({ repository: preview.repository, number: preview.prNumber });
  const service = testServices()[0]!;
  const app = buildApplication(settings, preview, service, { headSha: 'a'.repeat(40) });
  const ns = buildNamespace(settings, preview, { headSha: 'a'.repeat(40), workflowId, expiresAt: new Date().toISOString() });
  await kube.api.create(ns);
  const created = await kube.api.create(app);
  await new Promise((r) => setTimeout(r, 1_000));
  expect(signals.filter((s) => s.workflowId === workflowId)).toEqual([]);

  const ref = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name: created.metadata.name, namespace: APPS_NAMESPACE };
  await kube.api.mergePatch(ref, { metadata: { annotations: { unrelated: 'x' } } });
  await new Promise((r) => setTimeout(r, 1_000));
  expect(signals.filter((s) => s.workflowId === workflowId)).toEqual([]);

  await kube.api.mergePatch(ref, { status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } } });
  await until(() => signals.some((s) => s.workflowId === workflowId), 'a wake-up on the status change');
  expect(signals.find((s) => s.workflowId === workflowId)?.change).toEqual({ kind: 'Application', name: `${APPS_NAMESPACE}/${created.metadata.name}` });

  await kube.api.mergePatch(ref, { metadata: { finalizers: null } });
  await kube.api.delete(ref);
  await until(() => signals.filter((s) => s.workflowId === workflowId).length >= 2, 'a wake-up on the deletion');

  await kube.api.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns.metadata.name });
  await until(() => signals.some((s) => s.workflowId === workflowId && (s.change as { kind: string }).kind === 'Namespace'), 'a wake-up when the namespace is gone', 60_000);
  expect(watch.stats.restarts).toBe(0);
}, 90_000);
