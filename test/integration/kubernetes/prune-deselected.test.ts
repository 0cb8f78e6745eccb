import { previewKeys, ownershipLabels, namespaceNameFor, applicationName, type KubeObject } from '../../../src/kubernetes';
import type { PreviewRef } from '../../../workflows/contract';
import { ARGOCD_NAMESPACE, kubeFixture, runActivity, sha, testServices, testSettings, uniquePreview } from './support';

// deployApps with `keep` (a round's last phase) deletes the Applications and routes of services
// the round no longer deploys, on the real API server with real Argo CD pruning behind them.
// Only this preview's objects are touched: not another PR's of the same repository, not an
// Application that carries this preview's labels but is aimed at another namespace.

const kube = kubeFixture();
const settings = testSettings();
const acts = kube.activities(settings);
const head = sha('e5');

const application = (preview: PreviewRef, service: string) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: ARGOCD_NAMESPACE, name: applicationName(settings, preview, service) });
const route = (preview: PreviewRef, service: string) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', namespace: namespaceNameFor(settings, preview), name: service });

/** Present and not being deleted. */
async function standing(ref: { apiVersion: string; kind: string; namespace: string; name: string }): Promise<boolean> {
  const obj = await kube.api.get(ref);
  return obj !== undefined && obj.metadata.deletionTimestamp === undefined;
}

async function gone(ref: { apiVersion: string; kind: string; namespace: string; name: string }, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await kube.api.get(ref))) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

async function deployBoth(preview: PreviewRef): Promise<void> {
  await runActivity(acts.ensureNamespace, { preview, headSha: head, workflowId: `wf-prune-${preview.prNumber}`, expiresAt: '2030-01-01T00:00:00.000Z' });
  await runActivity(acts.deployApps, { preview, headSha: head, services: testServices() });
}

test("deployApps with keep deletes only this preview's Applications and routes of services the round no longer deploys", async () => {
  const preview = uniquePreview();
  // Another PR of the same repository: same repo label, another pr label.
  const neighbour: PreviewRef = { ...preview, prNumber: preview.prNumber + 1 };
  // This preview's labels and a service label, but aimed at the neighbour's namespace; no automated sync, so Argo CD leaves it alone.
  const decoy: KubeObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `${namespaceNameFor(settings, preview)}-decoy`, namespace: ARGOCD_NAMESPACE, labels: { ...ownershipLabels(settings, preview), [previewKeys(settings).service]: 'decoy' } },
    spec: {
      project: settings.argocd.project,
      source: { repoURL: 'https://git.example.test/none.git', path: '.', targetRevision: 'HEAD' },
      destination: { server: settings.argocd.destinationServer, namespace: namespaceNameFor(settings, neighbour) },
    },
  };
  const decoyRef = { apiVersion: decoy.apiVersion, kind: decoy.kind, namespace: ARGOCD_NAMESPACE, name: decoy.metadata.name };
  try {
    await deployBoth(preview);
    await deployBoth(neighbour);
    await kube.api.apply(decoy);

    const [api] = testServices();
    const result = await runActivity(acts.deployApps, { preview, headSha: head, phase: 610, services: [api!], keep: ['api'] });

    expect(result.pruned).toEqual(['www']);
    expect({ application: await gone(application(preview, 'www')), route: await gone(route(preview, 'www')) }).toEqual({ application: true, route: true });
    expect({
      kept: await standing(application(preview, 'api')),
      neighbourApi: await standing(application(neighbour, 'api')),
      neighbourWww: await standing(application(neighbour, 'www')),
      neighbourRoute: await standing(route(neighbour, 'www')),
      decoy: await standing(decoyRef),
    }).toEqual({ kept: true, neighbourApi: true, neighbourWww: true, neighbourRoute: true, decoy: true });

    // Without `keep` nothing is deleted: the earlier phases of a round, and runs recorded before the patch.
    const again = await runActivity(acts.deployApps, { preview, headSha: head, services: testServices() });
    expect(again.pruned).toBeUndefined();
  } finally {
    await kube.api.delete(decoyRef);
    for (const p of [preview, neighbour]) await runActivity(acts.teardown, { preview: p });
  }
});
