import { ApplicationFailure } from '@temporalio/common';
import { namespaceNameFor, previewKeys } from '../../../src/kubernetes';
import { testKubeConfig } from '../../harness';
import { RouteStatusWriter } from '../../fakes/route-status-writer';
import { ARGOCD_NAMESPACE, kubeFixture, replicaStandIn, runActivity, sha, testServices, testSettings, uniquePreview } from './support';

// One preview through its whole life on the real control plane, synced by real Argo CD.

describe('Kubernetes activities: full cycle', () => {
  const kube = kubeFixture();

  it('creates, becomes ready, redeploys a new SHA and tears down until the namespace is gone', async () => {
    const started = Date.now();
    const settings = testSettings();
    const preview = uniquePreview();
    const services = testServices({ withWorkload: true });
    const acts = kube.activities(settings);
    const namespace = namespaceNameFor(settings, preview);
    const pods = replicaStandIn(namespace);
    const gateway = new RouteStatusWriter(testKubeConfig(), namespace, { name: 'shared', namespace: 'gateway-system', sectionName: 'https' }).start();
    try {
      const first = sha('a1');
      const ns = await runActivity(acts.ensureNamespace, { preview, headSha: first, workflowId: 'wf-1', expiresAt: '2030-01-01T00:00:00.000Z' });
      expect(ns).toEqual({ namespace, created: true });

      const baseline = await runActivity(acts.applyBaseline, { preview });
      expect(baseline.objects).toEqual([
        `NetworkPolicy ${namespace}/previewd-ingress`,
        `NetworkPolicy ${namespace}/previewd-egress`,
        `ResourceQuota ${namespace}/previewd-quota`,
        `LimitRange ${namespace}/previewd-limits`,
        `ExternalSecret ${namespace}/ghcr-pull`,
        `ConfigMap ${namespace}/base-env`,
      ]);
      // The NetworkPolicy arrived with its peers (a dropped `from` would allow everyone).
      const np = await kube.api.get({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace, name: 'previewd-ingress' });
      expect(JSON.stringify(np?.spec)).toContain('"from":[{"podSelector":{}}]');

      // Phase by phase, as the workflow does.
      for (const phase of [610, 650]) {
        const deployed = await runActivity(acts.deployApps, { preview, headSha: first, phase, services });
        const names = deployed.applications.map((a) => a.service);
        expect(names).toEqual(services.filter((s) => s.phase === phase).map((s) => s.name));
        const ready = await runActivity(acts.waitReady, { preview, headSha: first, services: names });
        expect(ready).toMatchObject({ ready: true, outcome: 'Ready' });
      }
      const route = await kube.api.get({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', namespace, name: 'www' });
      expect((route?.spec as { hostnames: string[] }).hostnames).toEqual([`www-pr-${preview.prNumber}.dev.example.test`]);
      // What Argo CD synced carries the PR's tag, not only a green status.
      expect((await kube.api.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'www' }))?.data).toEqual({ image: `registry.example.test/acme/web:${first}` });

      const cost = await runActivity(acts.readWorkloads, { preview });
      expect(cost.totals.cpuCores).toBeCloseTo(2 * 0.25); // the api Deployment, 2 replicas of 250m

      // A push: the new SHA is not ready until Argo CD has compared and synced it.
      const second = sha('b2');
      await runActivity(acts.ensureNamespace, { preview, headSha: second, workflowId: 'wf-1', expiresAt: '2030-01-01T00:00:00.000Z' });
      await runActivity(acts.deployApps, { preview, headSha: second, services });
      const redeployed = await runActivity(acts.waitReady, { preview, headSha: second, services: services.map((s) => s.name) });
      expect(redeployed.ready).toBe(true);
      const apps = await kube.api.list('argoproj.io/v1alpha1', 'Application', { namespace: ARGOCD_NAMESPACE, labelSelector: `${previewKeys(settings).repo}=${preview.repoKey}` });
      for (const app of apps) {
        expect(app.metadata.labels?.[previewKeys(settings).headSha]).toBe(second);
        expect(JSON.stringify((app.status as { sync: { comparedTo: unknown } }).sync.comparedTo)).toContain(second);
      }
      const deployment = await kube.api.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'api' });
      expect(JSON.stringify(deployment?.spec)).toContain(`registry.example.test/acme/api:${second}`);

      const down = await runActivity(acts.teardown, { preview });
      expect(down).toMatchObject({ namespace, namespaceDeleted: true, deletedRoutes: ['HTTPRoute/www'] });
      expect([...down.deletedApplications].sort()).toEqual([`${namespace}-api`, `${namespace}-www`]);
      expect(await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace })).toBeUndefined();
      expect(await kube.api.list('argoproj.io/v1alpha1', 'Application', { namespace: ARGOCD_NAMESPACE, labelSelector: `${previewKeys(settings).repo}=${preview.repoKey}` })).toEqual([]);
    } finally {
      await gateway.stop();
      await pods.stop();
    }
    process.stdout.write(`full cycle on the real control plane and real Argo CD: ${Date.now() - started} ms\n`);
  });

  it('reports an Application that Argo CD cannot finish pruning, instead of waiting forever', async () => {
    const settings = testSettings({ timeouts: { pollIntervalMs: 100, readyMs: 60_000, applicationDeletionMs: 3_000, namespaceDeletionMs: 60_000 } });
    const preview = uniquePreview();
    const acts = kube.activities(settings);
    const namespace = namespaceNameFor(settings, preview);
    const [service] = testServices();
    await runActivity(acts.ensureNamespace, { preview, headSha: sha('c3'), workflowId: 'wf-2', expiresAt: '2030-01-01T00:00:00.000Z' });
    const deployed = await runActivity(acts.deployApps, { preview, headSha: sha('c3'), services: [service!] });
    expect(await runActivity(acts.waitReady, { preview, headSha: sha('c3'), services: [service!.name] })).toMatchObject({ ready: true });
    const stuck = deployed.applications[0]!.application;
    // A synced object that will not go (a finalizer nobody removes): Argo CD keeps its resources
    // finalizer on the Application until every object it prunes is gone.
    const held = { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: service!.name };
    await kube.api.mergePatch(held, { metadata: { finalizers: ['previewd.test/hold'] } });
    try {
      const err = await runActivity(acts.teardown, { preview }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'TeardownStuck', nonRetryable: true });
      expect((err as Error).message).toContain(stuck);
      expect((err as Error).message).toContain('resources-finalizer.argocd.argoproj.io');
      // Nothing past the stuck step ran: the namespace is still there for Argo CD to prune into.
      expect(await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace })).toBeDefined();
    } finally {
      await kube.api.mergePatch(held, { metadata: { finalizers: null } });
    }
    const down = await runActivity(acts.teardown, { preview });
    expect(down.namespaceDeleted).toBe(true);
  });
});
