import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceConfigSchema } from '../../../src/config';
import { SampleRepo } from '../../../src/dev/gitops-repo';
import { applicationReadiness, buildApplication, headShaLabel, namespaceNameFor, previewKeys, sameSource } from '../../../src/kubernetes';
import { harnessState, uniqueId } from '../../harness';
import { kubeFixture, runActivity, sampleSource, sha, testServices, testSettings, uniquePreview } from './support';
import type { PreviewRef } from '../../../workflows/contract';

// Readiness as real Argo CD reports it: status lags spec (comparedTo), a Deployment that never
// becomes available goes Degraded at its progress deadline, a failed sync is final for its commit
// until a fix is pushed or a sync is explicitly requested (automated sync never retries it).

const repo = new SampleRepo(harnessState().argocd.repoDir);
const service = (name: string, path: string) => serviceConfigSchema.parse({ name, phase: 610, source: sampleSource(path) });

describe('Kubernetes activities: readiness against real Argo CD', () => {
  const kube = kubeFixture();
  const settings = testSettings();
  const acts = kube.activities(settings);
  const previews: PreviewRef[] = [];

  afterAll(async () => {
    for (const preview of previews) await runActivity(acts.teardown, { preview }).catch(() => undefined);
  });

  async function open(): Promise<PreviewRef> {
    const preview = uniquePreview();
    previews.push(preview);
    await runActivity(acts.ensureNamespace, { preview, headSha: sha('a7'), workflowId: 'wf-ready', expiresAt: '2030-01-01T00:00:00.000Z' });
    return preview;
  }

  it('does not read the Synced/Healthy status of the previous head (comparedTo an old source) as ready', async () => {
    const preview = await open();
    const [svc] = testServices();
    await runActivity(acts.deployApps, { preview, headSha: sha('a7'), services: [svc!] });
    expect(await runActivity(acts.waitReady, { preview, headSha: sha('a7'), services: [svc!.name] })).toMatchObject({ ready: true });

    // A new head, applied the way deployApps applies it: the API server's answer still carries
    // the status Argo CD wrote for the old source.
    const moved = await kube.api.apply(buildApplication(settings, preview, svc!, { headSha: sha('b8') }));
    const status = moved.status as { sync: { status: string; comparedTo: { source: unknown } }; health: { status: string } };
    expect([status.sync.status, status.health.status]).toEqual(['Synced', 'Healthy']);
    expect(sameSource(status.sync.comparedTo.source, (moved.spec as { source: unknown }).source)).toBe(false);
    const expected = { service: svc!.name, application: moved.metadata.name, headSha: sha('b8'), headShaLabelKey: previewKeys(settings).headSha, headShaLabel: headShaLabel(sha('b8')) };
    expect(applicationReadiness(expected, moved)).toMatchObject({ state: 'Progressing', message: expect.stringMatching(/comparedTo/) });

    // Once Argo CD has compared and synced the new source, the same colours mean ready.
    expect(await runActivity(acts.waitReady, { preview, headSha: sha('b8'), services: [svc!.name] })).toMatchObject({ ready: true });
    const namespace = namespaceNameFor(settings, preview);
    expect((await kube.api.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: svc!.name }))?.data).toEqual({ image: `registry.example.test/acme/web:${sha('b8')}` });
  });

  it('reports a Deployment past its progress deadline as Degraded, with the Deployment\'s own reason', async () => {
    const preview = await open();
    const worker = service('worker', 'degraded');
    await runActivity(acts.deployApps, { preview, headSha: sha('a7'), services: [worker] });
    const started = Date.now();
    const result = await runActivity(acts.waitReady, { preview, headSha: sha('a7'), services: ['worker'], timeoutMs: 30_000 });
    expect(result).toMatchObject({ ready: false, outcome: 'Degraded' });
    // Argo CD 3.x says only "Caused by apps/Deployment:<ns>/worker"; the why is the Deployment's.
    expect(result.services).toEqual([
      expect.objectContaining({ service: 'worker', state: 'Degraded', terminal: false, message: expect.stringMatching(/^Deployment\/worker: .*ProgressDeadlineExceeded: ReplicaSet "worker-[a-z0-9]+" has timed out progressing\..*\(Argo CD: Caused by apps\/Deployment:/) }),
    ]);
    process.stdout.write(`degraded (progressDeadlineSeconds 10) reported after ${Date.now() - started} ms\n`);
  });

  it('ends the wait early when the sync fails, and becomes ready once a fix is pushed to the GitOps repository', async () => {
    const preview = await open();
    const path = `tests/${uniqueId('broken')}`;
    await repo.copyApp('broken', path);
    const web = service('web', path);
    await runActivity(acts.deployApps, { preview, headSha: sha('a7'), services: [web] });
    const started = Date.now();
    const failed = await runActivity(acts.waitReady, { preview, headSha: sha('a7'), services: ['web'], timeoutMs: 60_000 });
    expect(failed).toMatchObject({ ready: false, outcome: 'Degraded' });
    expect(failed.services).toEqual([expect.objectContaining({ service: 'web', state: 'Degraded', terminal: true, message: expect.stringMatching(/sync Failed: .*(70000|port)/) })]);
    process.stdout.write(`failed sync recognised after ${Date.now() - started} ms\n`);

    await repo.commit({ [`${path}/values.yaml`]: readFileSync(join(repo.dir, path, 'values.yaml'), 'utf8').replace('port: 70000', 'port: 8080') }, 'Fix the port');
    const pushed = Date.now();
    // Until Argo CD has seen the new commit, the failed sync is still the final word for what it
    // resolves the branch to, and each wait ends at once: wait again until it syncs the fix.
    let result = failed;
    while (!result.ready && Date.now() - pushed < 60_000) {
      result = await runActivity(acts.waitReady, { preview, headSha: sha('a7'), services: ['web'], timeoutMs: 10_000 });
      if (!result.ready) await new Promise((r) => setTimeout(r, 500));
    }
    expect(result).toMatchObject({ ready: true });
    process.stdout.write(`pushed fix ready after ${Date.now() - pushed} ms\n`);
  });

  it('a redeploy after a failed sync asks Argo CD for a sync: re-applying alone changes nothing', async () => {
    const preview = await open();
    const namespace = namespaceNameFor(settings, preview);
    // A quota that forbids ConfigMaps fails the sync for a reason outside the manifests, which can then be lifted.
    const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'no-configmaps', namespace }, spec: { hard: { configmaps: '0' } } };
    await kube.api.create(quota);
    const [svc] = testServices();
    await runActivity(acts.deployApps, { preview, headSha: sha('a7'), services: [svc!] });
    const failed = await runActivity(acts.waitReady, { preview, headSha: sha('a7'), services: [svc!.name], timeoutMs: 60_000 });
    expect(failed.services).toEqual([expect.objectContaining({ state: 'Degraded', terminal: true, message: expect.stringMatching(/quota/i) })]);
    await kube.api.delete({ apiVersion: 'v1', kind: 'ResourceQuota', namespace, name: 'no-configmaps' });

    // The same Application again is a no-op, and Argo CD does not retry the commit it failed.
    await runActivity(acts.deployApps, { preview, headSha: sha('a7'), services: [svc!] });
    await new Promise((r) => setTimeout(r, 8_000));
    const still = await runActivity(acts.waitReady, { preview, headSha: sha('a7'), services: [svc!.name], timeoutMs: 1_000 });
    expect(still.services).toEqual([expect.objectContaining({ state: 'Degraded', terminal: true })]);

    // What a redeploy round sends: an explicit sync of the same revision and parameters.
    const requested = Date.now();
    await runActivity(acts.deployApps, { preview, headSha: sha('a7'), services: [svc!], requestSync: true });
    expect(await runActivity(acts.waitReady, { preview, headSha: sha('a7'), services: [svc!.name], timeoutMs: 60_000 })).toMatchObject({ ready: true });
    process.stdout.write(`redeploy (operation.sync) ready after ${Date.now() - requested} ms\n`);
    const app = await kube.api.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: settings.argocd.namespace, name: `${namespace}-${svc!.name}` });
    expect((app?.status as { operationState: unknown }).operationState).toMatchObject({ phase: 'Succeeded', operation: { initiatedBy: { username: 'previewd' }, sync: { syncOptions: expect.arrayContaining(['FailOnSharedResource=true']) } } });
  });

  it('reports a missing Application instead of waiting for it forever', async () => {
    const preview = uniquePreview();
    const result = await runActivity(acts.waitReady, { preview, headSha: sha('a7'), services: ['ghost'], timeoutMs: 300 });
    expect(result).toMatchObject({ ready: false, outcome: 'TimedOut', services: [expect.objectContaining({ service: 'ghost', state: 'Missing' })] });
  });
});
