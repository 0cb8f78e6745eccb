import { namespaceNameFor, sameSource } from '../../../src/kubernetes';
import { kubeFixture, runActivity, sha, testServices, testSettings, uniquePreview, type KubeFixture } from './support';

// Argo CD status lags spec. These tests write the status the controller would have written
// for an *older* source, or a failed sync, and check that waitReady is not fooled.

describe('Kubernetes activities: readiness', () => {
  let kube: KubeFixture;
  beforeAll(async () => {
    kube = await kubeFixture();
  });

  const namespaceInput = (preview: ReturnType<typeof uniquePreview>) => ({ preview, headSha: sha('a7'), workflowId: 'wf-ready', expiresAt: '2030-01-01T00:00:00.000Z' });

  it('does not read stale Synced/Healthy status (comparedTo an old SHA) as ready', async () => {
    const settings = testSettings();
    const preview = uniquePreview();
    const acts = kube.activities(settings);
    const argo = kube.double(namespaceNameFor(settings, preview));
    const [service] = testServices();
    await runActivity(acts.ensureNamespace, namespaceInput(preview));
    try {
      await runActivity(acts.deployApps, { preview, headSha: sha('a7'), services: [service!] });
      await argo.reconcile();
      const [synced] = await argo.applications();
      const oldSource = (synced!.spec as { source: unknown }).source;

      // New head: spec moves on; status still says Synced + Healthy, compared to the old source.
      await runActivity(acts.deployApps, { preview, headSha: sha('b8'), services: [service!] });
      const [moved] = await argo.applications();
      await argo.writeSyncedStatus(moved!, oldSource);
      const [stale] = await argo.applications();
      expect(stale!.status).toMatchObject({ sync: { status: 'Synced' }, health: { status: 'Healthy' } });
      expect(sameSource((stale!.status as { sync: { comparedTo: { source: unknown } } }).sync.comparedTo.source, (stale!.spec as { source: unknown }).source)).toBe(false);

      const result = await runActivity(acts.waitReady, { preview, headSha: sha('b8'), services: [service!.name], timeoutMs: 1_000 });
      expect(result).toMatchObject({ ready: false, outcome: 'TimedOut' });
      expect(result.services).toEqual([
        expect.objectContaining({ service: service!.name, state: 'Progressing', syncStatus: 'Synced', healthStatus: 'Healthy', message: expect.stringMatching(/comparedTo/) }),
      ]);

      // Once Argo CD compares the new source, the same colours do mean ready.
      await argo.reconcile();
      expect(await runActivity(acts.waitReady, { preview, headSha: sha('b8'), services: [service!.name], timeoutMs: 1_000 })).toMatchObject({ ready: true });
    } finally {
      argo.start(100);
      await runActivity(acts.teardown, { preview });
      await argo.stop();
    }
  });

  it('ends the wait early with the reason when the desired sync failed, and reports degraded health', async () => {
    const settings = testSettings();
    const preview = uniquePreview();
    const acts = kube.activities(settings);
    const [api, www] = testServices();
    const argo = kube.double(namespaceNameFor(settings, preview), {
      failSync: (svc) => (svc === 'api' ? 'one or more objects failed to apply: Deployment.apps "api" is invalid' : undefined),
      health: (svc) => (svc === 'www' ? { status: 'Degraded', message: 'Back-off restarting failed container' } : { status: 'Healthy' }),
    });
    await runActivity(acts.ensureNamespace, namespaceInput(preview));
    try {
      await runActivity(acts.deployApps, { preview, headSha: sha('a7'), services: [api!, www!] });
      // One controller pass syncs both, so both outcomes are in place when the wait starts.
      await argo.reconcile();
      const started = Date.now();
      const result = await runActivity(acts.waitReady, { preview, headSha: sha('a7'), services: ['api', 'www'], timeoutMs: 30_000 });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result).toMatchObject({ ready: false, outcome: 'Degraded' });
      expect(result.services).toEqual([
        expect.objectContaining({ service: 'api', state: 'Degraded', terminal: true, message: expect.stringMatching(/failed to apply/) }),
        expect.objectContaining({ service: 'www', state: 'Degraded', message: 'Back-off restarting failed container' }),
      ]);
    } finally {
      argo.start(100);
      await runActivity(acts.teardown, { preview });
      await argo.stop();
    }
  });

  it('reports a missing Application instead of waiting for it forever', async () => {
    const settings = testSettings();
    const preview = uniquePreview();
    const acts = kube.activities(settings);
    const result = await runActivity(acts.waitReady, { preview, headSha: sha('a7'), services: ['ghost'], timeoutMs: 300 });
    expect(result).toMatchObject({ ready: false, outcome: 'TimedOut', services: [expect.objectContaining({ service: 'ghost', state: 'Missing' })] });
  });
});
