import { readdirSync, readFileSync } from 'node:fs';
import { KubernetesObjectApi, PatchStrategy, RbacAuthorizationV1Api, type KubernetesObject } from '@kubernetes/client-node';
import { join, resolve } from 'node:path';
import { serviceConfigSchema, type ClusterSettings, type ServiceConfig } from '../../../src/config';
import { applicationName, namespaceNameFor, type KubeObject } from '../../../src/kubernetes';
import { harnessState, testKubeConfig, uniqueId } from '../../harness';
import { SampleRepo } from '../../../src/dev/gitops-repo';
import { kubeFixture, runActivity, uniquePreview, type KubeFixture } from '../kubernetes/support';
import type { DeployAppsInput, PreviewRef, ServiceReadiness } from '../../../workflows/contract';
import { chartSyncClusterRole, realArgoSettings, setImpersonation } from './support';

// Seed 000 Option A with REAL Argo CD: the PR's own Kustomize bundle at the head SHA is the
// source of a preview Application that previewd writes (deployApps), in the fixed AppProject
// rendered from charts/previewd, into a namespace previewd provisioned (ensureNamespace,
// applyBaseline with the sync identity). Bundles are committed to the sample git repository,
// and the commit is the PR's head SHA. What the AppProject refuses (another namespace outside
// pr-*, cluster-scoped kinds, ExternalSecrets), and what it cannot refuse (another preview's
// namespace, which the pr-* glob admits) that the sync identity's RBAC does.

const { argocd } = harnessState();
const IMAGE = 'registry.example.test/acme/smoke';
/** The sample PR bundles (test/argocd-apps/pr-bundles): each test commits one as a PR's deploy/preview/. */
const BUNDLES = resolve(__dirname, '../../argocd-apps/pr-bundles');

interface Provisioned {
  readonly preview: PreviewRef;
  readonly namespace: string;
}

describe('PR-owned bundles on real Argo CD', () => {
  const kube: KubeFixture = kubeFixture();
  let repo: SampleRepo;
  let settings: ClusterSettings;
  const previews: PreviewRef[] = [];

  beforeAll(async () => {
    repo = new SampleRepo(argocd.repoDir);
    settings = realArgoSettings();
    await KubernetesObjectApi.makeApiClient(testKubeConfig()).patch((await chartSyncClusterRole()) as KubernetesObject, undefined, undefined, 'previewd-test', true, PatchStrategy.ServerSideApply);
    await setImpersonation(kube.api, true);
  });

  afterAll(async () => {
    const acts = kube.activities(settings);
    // previewd's own teardown: Applications (their finalizer prunes as the sync identity), then the namespace.
    await Promise.all(previews.map((preview) => runActivity(acts.teardown, { preview }).catch(() => undefined)));
    await setImpersonation(kube.api, false);
  }, 300_000);

  /** A namespace and baseline exactly as the workflow makes them. */
  async function provision(): Promise<Provisioned> {
    const acts = kube.activities(settings);
    const preview = uniquePreview();
    previews.push(preview);
    await runActivity(acts.ensureNamespace, { preview, headSha: '0'.repeat(40), workflowId: `wf-${preview.repoKey}`, expiresAt: '2030-01-01T00:00:00.000Z' });
    await runActivity(acts.applyBaseline, { preview });
    return { preview, namespace: namespaceNameFor(settings, preview) };
  }

  /** Commits sample bundle `name` as a PR's deploy/preview/ (with `edit` applied) and returns the service and the head SHA. */
  async function pushBundle(name: string, edit: (files: Record<string, string>) => void = () => {}): Promise<{ service: ServiceConfig; headSha: string }> {
    const root = `tests/${uniqueId(name)}`;
    const dir = join(BUNDLES, name);
    const files = Object.fromEntries(readdirSync(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
    edit(files);
    const headSha = await repo.commit(Object.fromEntries(Object.entries(files).map(([file, text]) => [`${root}/deploy/preview/${file}`, text])), `PR bundle ${name}`);
    const service = serviceConfigSchema.parse({ name: 'smoke', expose: { port: 80 }, source: { type: 'prBundle', repoURL: argocd.repoURL, path: `${root}/deploy/preview`, image: IMAGE } });
    return { service, headSha };
  }

  /** Not Ready, for the reason given (the state is Progressing while Argo CD retries, Degraded once it gives up). */
  function refused(reason: RegExp) {
    return { state: expect.stringMatching(/^(Progressing|Degraded)$/) as unknown, message: expect.stringMatching(reason) as unknown };
  }

  async function deploy(p: Provisioned, service: ServiceConfig, headSha: string, images?: DeployAppsInput['images']): Promise<ServiceReadiness> {
    const acts = kube.activities(settings);
    await runActivity(acts.deployApps, { preview: p.preview, headSha, services: [service], ...(images && { images }) });
    const result = await runActivity(acts.waitReady, { preview: p.preview, headSha, services: [service.name], timeoutMs: 45_000 });
    return result.services[0]!;
  }

  async function application(p: Provisioned): Promise<KubeObject | undefined> {
    return kube.api.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: argocd.namespace, name: applicationName(settings, p.preview, 'smoke') });
  }

  async function configMap(namespace: string, name: string): Promise<KubeObject | undefined> {
    return kube.api.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
  }

  it('deploys a clean bundle at the head SHA to Synced + Healthy, with the image override', async () => {
    const p = await provision();
    const { service, headSha } = await pushBundle('clean');
    const started = Date.now();
    const readiness = await deploy(p, service, headSha);
    process.stdout.write(`clean PR bundle: deployApps -> Ready in ${Date.now() - started} ms\n`);
    expect(readiness).toMatchObject({ state: 'Ready', revision: headSha });
    const app = await application(p);
    expect(app?.spec).toMatchObject({ project: argocd.project, source: { repoURL: argocd.repoURL, targetRevision: headSha, kustomize: { images: [`${IMAGE}:${headSha}`] } } });
    expect((await configMap(p.namespace, 'smoke'))?.data).toEqual({ image: `${IMAGE}:${headSha}` });
    // Argo CD applied it as the preview's own service account, not with its own rights.
    expect(JSON.stringify(app?.status)).not.toMatch(/forbidden/i);
  });

  it('runs the digest a lock file pinned: the bundle at the head SHA, the image by digest', async () => {
    const p = await provision();
    const { service, headSha } = await pushBundle('clean');
    const digest = `sha256:${'7'.repeat(64)}`;
    expect(await deploy(p, service, headSha, { smoke: { digest } })).toMatchObject({ state: 'Ready', revision: headSha });
    expect((await application(p))?.spec).toMatchObject({ source: { targetRevision: headSha, kustomize: { images: [`${IMAGE}@${digest}`] } } });
    expect((await configMap(p.namespace, 'smoke'))?.data).toEqual({ image: `${IMAGE}@${digest}` });
  });

  it('refuses a bundle that sets metadata.namespace outside pr-*: nothing lands there', async () => {
    const p = await provision();
    const { service, headSha } = await pushBundle('foreign-namespace');
    expect(await deploy(p, service, headSha)).toMatchObject(refused(/kube-system/));
    expect(await configMap('kube-system', 'escape')).toBeUndefined();
  });

  it('refuses a bundle with a cluster-scoped kind', async () => {
    const p = await provision();
    const { service, headSha } = await pushBundle('cluster-scoped');
    expect(await deploy(p, service, headSha)).toMatchObject(refused(/ClusterRole/));
    await expect(testKubeConfig().makeApiClient(RbacAuthorizationV1Api).readClusterRole({ name: 'preview-bundle-escalation' })).rejects.toMatchObject({ code: 404 });
  });

  it('refuses a bundle that asks the ClusterSecretStore for keys of its own (ExternalSecret)', async () => {
    const p = await provision();
    const { service, headSha } = await pushBundle('secret-request');
    expect(await deploy(p, service, headSha)).toMatchObject(refused(/ExternalSecret/));
  });

  describe("another preview's namespace (the pr-* glob admits it)", () => {
    it('is refused by the API server: the sync identity is bound in its own namespace only', async () => {
      const victim = await provision();
      const attacker = await provision();
      const { service, headSha } = await pushBundle('other-preview', (files) => {
        files['takeover.yaml'] = files['takeover.yaml']!.replace('pr-victim', victim.namespace);
      });
      expect(await deploy(attacker, service, headSha)).toMatchObject(refused(new RegExp(`ConfigMap ${victim.namespace}/planted: .*forbidden`)));
      expect(await configMap(victim.namespace, 'planted')).toBeUndefined();
    });

    it('is what stops it: with Argo CD syncing on its own rights, the object lands in the other preview', async () => {
      await setImpersonation(kube.api, false);
      try {
        const victim = await provision();
        const attacker = await provision();
        const { service, headSha } = await pushBundle('other-preview', (files) => {
          files['takeover.yaml'] = files['takeover.yaml']!.replace('pr-victim', victim.namespace);
        });
        const readiness = await deploy(attacker, service, headSha);
        expect(readiness.state).toBe('Ready');
        expect((await configMap(victim.namespace, 'planted'))?.data).toEqual({ note: "written by another preview's bundle" });
      } finally {
        await setImpersonation(kube.api, true);
      }
    });
  });
});
