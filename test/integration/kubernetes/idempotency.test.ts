import { FIELD_MANAGER } from '../../../activities/kubernetes';
import { namespaceNameFor, routeKind, type KubeObject } from '../../../src/kubernetes';
import { testKubeConfig } from '../../harness';
import { RouteStatusWriter } from '../../fakes/route-status-writer';
import { ARGOCD_NAMESPACE, kubeFixture, runActivity, sha, testServices, testSettings, uniquePreview, type KubeFixture } from './support';
import type { ClusterSettings } from '../../../src/config';
import type { PreviewRef } from '../../../workflows/contract';

// Every activity, run a second time with the same input, must leave the cluster unchanged:
// same objects, same resourceVersions (server-side apply of an unchanged object is a no-op).
// Applications are the exception: real Argo CD rewrites their status on every refresh, so for
// them what previewd owns is compared (spec, labels, annotations, previewd's managed fields).
// `operation` is left out: Argo CD's automated sync writes and clears it in its own time (a
// sync previewd requests shows in previewd's managed fields).

function applicationFingerprint(app: KubeObject): string {
  const managed = (app.metadata as { managedFields?: { manager?: string }[] }).managedFields?.filter((f) => f.manager === FIELD_MANAGER);
  return JSON.stringify({ spec: app.spec, labels: app.metadata.labels, annotations: app.metadata.annotations, managed });
}

async function snapshot(kube: KubeFixture, settings: ClusterSettings, preview: PreviewRef): Promise<Record<string, string>> {
  const namespace = namespaceNameFor(settings, preview);
  const route = routeKind(settings);
  const kinds: [string, string, string | undefined][] = [
    ['networking.k8s.io/v1', 'NetworkPolicy', namespace],
    ['v1', 'ResourceQuota', namespace],
    ['v1', 'LimitRange', namespace],
    ['v1', 'ConfigMap', namespace],
    ['external-secrets.io/v1', 'ExternalSecret', namespace],
    ['apps/v1', 'Deployment', namespace],
    ['argoproj.io/v1alpha1', 'Application', ARGOCD_NAMESPACE],
    ...(route ? [[route.apiVersion, route.kind, namespace] as [string, string, string]] : []),
  ];
  const entries: [string, string][] = [];
  const ns = await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
  if (ns) entries.push([`Namespace/${namespace}`, ns.metadata.resourceVersion ?? '']);
  for (const [apiVersion, kind, where] of kinds) {
    const items: KubeObject[] = ns || where === ARGOCD_NAMESPACE ? await kube.api.list(apiVersion, kind, { namespace: where }) : [];
    for (const item of items) {
      if (kind === 'Application' && (item.spec as { destination: { namespace: string } }).destination.namespace !== namespace) continue;
      if (kind === 'ConfigMap' && item.metadata.name === 'kube-root-ca.crt') continue;
      // What Argo CD synced is Argo CD's, written in its own time.
      if (item.metadata.annotations?.['argocd.argoproj.io/tracking-id'] !== undefined) continue;
      entries.push([`${kind}/${item.metadata.name}`, kind === 'Application' ? applicationFingerprint(item) : (item.metadata.resourceVersion ?? '')]);
    }
  }
  return Object.fromEntries(entries);
}

describe('Kubernetes activities: idempotency', () => {
  const kube = kubeFixture();

  it('every activity run twice leaves no change (HTTPRoute and Ingress clusters)', async () => {
    const started = Date.now();
    for (const routes of [undefined, { kind: 'Ingress' as const, className: 'nginx', controllerNamespace: 'ingress-nginx' }]) {
      const settings = testSettings(routes ? { routes } : {});
      const preview = uniquePreview();
      const acts = kube.activities(settings);
      const services = testServices();
      const head = sha('d4');
      const namespaceInput = { preview, headSha: head, workflowId: 'wf-idem', expiresAt: '2030-01-01T00:00:00.000Z' };

      const twice = async <I, O>(what: string, fn: (input: I) => Promise<O>, input: I): Promise<[O, O]> => {
        const first = await runActivity(fn, input);
        const before = await snapshot(kube, settings, preview);
        const second = await runActivity(fn, input);
        expect({ what, state: await snapshot(kube, settings, preview) }).toEqual({ what, state: before });
        return [first, second];
      };

      const [created, again] = await twice('ensureNamespace', acts.ensureNamespace, namespaceInput);
      expect([created.created, again.created]).toEqual([true, false]);
      await twice('applyBaseline', acts.applyBaseline, { preview });
      await twice('deployApps', acts.deployApps, { preview, headSha: head, services });
      // Plays the gateway controller once (none runs here): the routes are accepted before readiness is read.
      await new RouteStatusWriter(testKubeConfig(), namespaceNameFor(settings, preview), { name: 'shared', namespace: 'gateway-system', sectionName: 'https' }).once();
      // Ready first (Argo CD syncs in its own time), then the second run must change nothing.
      await runActivity(acts.waitReady, { preview, headSha: head, services: services.map((s) => s.name) });
      const ready = await twice('waitReady', acts.waitReady, { preview, headSha: head, services: services.map((s) => s.name) });
      expect(ready.map((r) => r.ready)).toEqual([true, true]);
      await twice('readWorkloads', acts.readWorkloads, { preview });
      const state = await snapshot(kube, settings, preview);
      expect(Object.keys(state).length).toBeGreaterThanOrEqual(9);

      await twice('teardown', acts.teardown, { preview });
      expect(await snapshot(kube, settings, preview)).toEqual({});
    }
    process.stdout.write(`idempotency (2 clusters × 6 activities × 2 runs): ${Date.now() - started} ms\n`);
  });
});
