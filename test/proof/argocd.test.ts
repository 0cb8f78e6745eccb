import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiException, AppsV1Api, CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { harnessState, testKubeConfig, uniqueId } from '../harness';
import { SampleRepo } from '../../src/dev/gitops-repo';

// What real Argo CD (application controller + repo-server built from v3.6.1, see
// scripts/provision-argocd.sh) does with Applications shaped like the ones previewd writes
// (src/kubernetes/application.ts): written here as plain objects, synced from the sample
// GitOps repository (test/argocd-apps) into the harness's API server. No kubelet runs, so the
// apps are healthy without pods, and a Deployment's progress deadline is the Degraded path.

const APPS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'applications' } as const;
const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const PREVIEWD_SYNC_OPTIONS = ['FailOnSharedResource=true', 'PruneLast=true', 'PrunePropagationPolicy=foreground'];
/** Fails fast and retries once a second: the bounded policy issue 13 proposes (Argo CD's own default is 5 retries from 5 s, about 155 s). */
const BOUNDED_RETRY = { limit: 2, backoff: { duration: '1s', factor: 2, maxDuration: '4s' }, refresh: true };
const IMAGE = 'registry.example.test/acme/web';

interface Source {
  repoURL: string;
  path: string;
  targetRevision: string;
  helm?: { releaseName?: string; parameters?: { name: string; value: string; forceString?: boolean }[] };
  kustomize?: { images: string[] };
}

interface Application {
  metadata: { name: string; namespace?: string; finalizers?: string[]; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec: { source: Source; destination: { server: string; namespace: string }; project: string; syncPolicy?: Record<string, unknown> };
  operation?: unknown;
  status?: {
    sync?: { status?: string; revision?: string; comparedTo?: { source?: Source; destination?: unknown } };
    health?: { status?: string; message?: string };
    conditions?: { type: string; message: string }[];
    operationState?: {
      phase?: string;
      message?: string;
      startedAt?: string;
      retryCount?: number;
      operation?: { sync?: { revision?: string }; initiatedBy?: { automated?: boolean; username?: string } };
      syncResult?: { revision?: string; source?: Source; resources?: { kind: string; name: string; namespace?: string; status?: string; message?: string }[] };
    };
    resources?: { kind: string; name: string; namespace?: string; status?: string; health?: { status?: string; message?: string } }[];
  };
}

interface AppOptions {
  readonly path: string;
  readonly namespace: string;
  /** Helm: the image tag parameter previewd passes, plus any extra parameters. */
  readonly tag?: string;
  readonly helmParameters?: Record<string, string>;
  readonly releaseName?: string;
  /** Kustomize: previewd's `images` override instead of helm parameters. */
  readonly kustomizeImages?: string[];
  readonly syncOptions?: string[];
  /** `undefined`: no retry policy, as previewd writes Applications today. */
  readonly retry?: Record<string, unknown>;
}

const state = harnessState();
const argocd = state.argocd;
const measured: Record<string, number[]> = {};

function record(what: string, ms: number): void {
  (measured[what] ??= []).push(ms);
}

/** An Application as previewd's buildApplication writes it: fixed project and server, finalizer, automated prune + selfHeal, previewd's sync options. */
function application(name: string, o: AppOptions): Application {
  const source: Source = { repoURL: argocd.repoURL, path: o.path, targetRevision: 'HEAD' };
  if (o.kustomizeImages) source.kustomize = { images: o.kustomizeImages };
  else {
    const extra = Object.entries(o.helmParameters ?? {}).map(([n, value]) => ({ name: n, value }));
    source.helm = { releaseName: o.releaseName ?? 'web', parameters: [{ name: 'image.tag', value: o.tag ?? 'base', forceString: true }, ...extra] };
  }
  return {
    metadata: { name, namespace: argocd.namespace, finalizers: [FINALIZER] },
    spec: {
      project: argocd.project,
      source,
      destination: { server: argocd.destinationServer, namespace: o.namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: o.syncOptions ?? PREVIEWD_SYNC_OPTIONS, ...(o.retry ? { retry: o.retry } : {}) },
    },
  };
}

function summary(app: Application | undefined): string {
  if (!app) return 'no Application';
  const s = app.status ?? {};
  return JSON.stringify({
    sync: s.sync?.status,
    revision: s.sync?.revision,
    health: s.health,
    operation: s.operationState && {
      phase: s.operationState.phase,
      message: s.operationState.message,
      retryCount: s.operationState.retryCount,
      resources: s.operationState.syncResult?.resources?.map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}: ${r.status ?? ''} ${r.message ?? ''}`),
    },
    conditions: s.conditions,
  });
}

const isSyncedHealthy = (a: Application) => a.status?.sync?.status === 'Synced' && a.status?.health?.status === 'Healthy';
const comparedTag = (a: Application) => a.status?.sync?.comparedTo?.source?.helm?.parameters?.find((p) => p.name === 'image.tag')?.value;

describe('real Argo CD', () => {
  let kc: KubeConfig;
  let core: CoreV1Api;
  let appsApi: AppsV1Api;
  let custom: CustomObjectsApi;
  let repo: SampleRepo;
  const namespaces: string[] = [];
  const applications: string[] = [];

  beforeAll(() => {
    kc = testKubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    appsApi = kc.makeApiClient(AppsV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
    repo = new SampleRepo(argocd.repoDir);
  });

  afterAll(async () => {
    // Applications first (their finalizer prunes), then the namespaces.
    for (const name of applications) await custom.deleteNamespacedCustomObject({ ...APPS, namespace: argocd.namespace, name }).catch(() => undefined);
    for (const name of namespaces) await core.deleteNamespace({ name }).catch(() => undefined);
    const lines = Object.entries(measured).map(([what, ms]) => `${what}: ${ms.map((v) => `${v} ms`).join(', ')}`);
    if (lines.length > 0) process.stdout.write(`\nreal Argo CD ${argocd.version} timings\n  ${lines.join('\n  ')}\n`);
  });

  async function previewNamespace(): Promise<string> {
    const name = uniqueId('pr-argo').slice(0, 40);
    await core.createNamespace({ body: { metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'previewd' } } } });
    namespaces.push(name);
    return name;
  }

  async function create(app: Application): Promise<void> {
    applications.push(app.metadata.name);
    await custom.createNamespacedCustomObject({ ...APPS, namespace: argocd.namespace, body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...app } });
  }

  async function get(name: string): Promise<Application | undefined> {
    try {
      return (await custom.getNamespacedCustomObject({ ...APPS, namespace: argocd.namespace, name })) as Application;
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return undefined;
      throw err;
    }
  }

  async function mergePatch(name: string, patch: Record<string, unknown>): Promise<Application> {
    return (await custom.patchNamespacedCustomObject({ ...APPS, namespace: argocd.namespace, name, body: patch }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))) as Application;
  }

  /** Polls the Application until `done` holds; the failure names the last status seen. */
  async function waitApp(name: string, what: string, done: (a: Application) => boolean, timeoutMs = 45_000): Promise<Application> {
    const deadline = Date.now() + timeoutMs;
    let last: Application | undefined;
    while (Date.now() < deadline) {
      last = await get(name);
      if (last && done(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`Application ${name} not ${what} after ${timeoutMs} ms: ${summary(last)}`);
  }

  async function waitGone(read: () => Promise<unknown>, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        await read();
      } catch (err) {
        if (err instanceof ApiException && err.code === 404) return;
        throw err;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${what} still exists after ${timeoutMs} ms`);
  }

  async function configMapData(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    return (await core.readNamespacedConfigMap({ namespace, name })).data;
  }

  it('syncs a helm app to Synced + Healthy for the requested parameters, and status.sync.comparedTo says which', async () => {
    const ns = await previewNamespace();
    const name = uniqueId('web');
    const head = await repo.head();
    const app = application(name, { path: 'web', namespace: ns, tag: 'sha-one' });
    const started = Date.now();
    await create(app);
    const synced = await waitApp(name, 'Synced + Healthy', (a) => isSyncedHealthy(a) && comparedTag(a) === 'sha-one');
    // The first Application after start also waits for the controller's cluster cache (API discovery and lists).
    record('first Application: create -> Synced+Healthy', Date.now() - started);
    // Synced means the live objects match; the operation that applied them may still be settling
    // (a self-heal pass can follow right away), so its record is checked once it has settled.
    const settled = await waitApp(name, 'done syncing', (a) => a.status?.operationState?.phase === 'Succeeded' && a.operation === undefined);

    // Argo CD echoes the whole source it compared, so readiness can compare it with spec.
    expect(synced.status?.sync?.comparedTo?.source).toEqual(app.spec.source);
    expect(synced.status?.sync?.comparedTo?.destination).toEqual(app.spec.destination);
    expect(synced.status?.sync?.revision).toBe(head);
    expect(settled.status?.operationState).toMatchObject({ phase: 'Succeeded', operation: { initiatedBy: { automated: true } }, syncResult: { revision: head, source: app.spec.source } });
    expect(await configMapData(ns, 'web')).toEqual({ image: `${IMAGE}:sha-one` });
    await expect(core.readNamespacedService({ namespace: ns, name: 'web' })).resolves.toMatchObject({ spec: { ports: [expect.objectContaining({ port: 80 })] } });

    // A new head: until the controller compares again, status still reads Synced + Healthy, for the old parameters.
    const source = { ...app.spec.source, helm: { ...app.spec.source.helm, parameters: [{ name: 'image.tag', value: 'sha-two', forceString: true }] } };
    const patched = Date.now();
    const stale = await mergePatch(name, { spec: { source } });
    expect(isSyncedHealthy(stale) && comparedTag(stale)).toBe('sha-one');
    await waitApp(name, 'Synced + Healthy for sha-two', (a) => isSyncedHealthy(a) && comparedTag(a) === 'sha-two');
    record('new parameters -> Synced+Healthy', Date.now() - patched);
    expect(await configMapData(ns, 'web')).toEqual({ image: `${IMAGE}:sha-two` });
  });

  it('renders a kustomize app with previewd\'s images override', async () => {
    const ns = await previewNamespace();
    const name = uniqueId('web-kustomize');
    const image = `${IMAGE}:0123456`;
    const app = application(name, { path: 'web-kustomize', namespace: ns, kustomizeImages: [image] });
    const started = Date.now();
    await create(app);
    const synced = await waitApp(name, 'Synced + Healthy', isSyncedHealthy);
    record('create -> Synced+Healthy', Date.now() - started);
    expect(synced.status?.sync?.comparedTo?.source).toEqual(app.spec.source);
    expect(await configMapData(ns, 'web')).toEqual({ image });
  });

  it('keeps an HTTPRoute Progressing until a Gateway controller accepts it', async () => {
    const ns = await previewNamespace();
    const name = uniqueId('web-route');
    await create(application(name, { path: 'web-route', namespace: ns, tag: 'sha-route' }));
    const waiting = await waitApp(name, 'Synced and Progressing', (a) => a.status?.sync?.status === 'Synced' && a.status?.health?.status === 'Progressing');
    const route = waiting.status?.resources?.find((r) => r.kind === 'HTTPRoute');
    expect(route).toMatchObject({ name: 'web', status: 'Synced' });
    // Argo CD 3.x keeps per-resource health out of the Application (--persist-resource-health is
    // off by default): the app's health names the resource holding it back, not why.
    expect(route?.health).toBeUndefined();
    expect(waiting.status?.health?.message).toBe(`Caused by gateway.networking.k8s.io/HTTPRoute:${ns}/web`);

    // No Gateway controller runs here: write the status one would (Accepted, ResolvedRefs) on its behalf.
    const routes = { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' };
    const live = (await custom.getNamespacedCustomObject({ ...routes, namespace: ns, name: 'web' })) as { metadata: { generation: number } };
    const condition = (type: string) => ({ type, status: 'True', reason: type, message: '', observedGeneration: live.metadata.generation, lastTransitionTime: new Date().toISOString() });
    await custom.patchNamespacedCustomObjectStatus(
      {
        ...routes,
        namespace: ns,
        name: 'web',
        body: { status: { parents: [{ parentRef: { name: 'shared', namespace: 'gateway-system', sectionName: 'https' }, controllerName: 'example.test/gateway', conditions: [condition('Accepted'), condition('ResolvedRefs')] }] } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await waitApp(name, 'Healthy once the route is accepted', isSyncedHealthy);
  });

  it('reports Degraded when a Deployment exceeds its progress deadline (no kubelet: it never becomes available)', async () => {
    const ns = await previewNamespace();
    const name = uniqueId('degraded');
    const started = Date.now();
    await create(application(name, { path: 'degraded', namespace: ns, tag: 'sha-slow', releaseName: 'worker' }));
    const degraded = await waitApp(name, 'Degraded', (a) => a.status?.health?.status === 'Degraded');
    record('create -> Degraded (progressDeadlineSeconds 10)', Date.now() - started);
    expect(degraded.status?.sync?.status).toBe('Synced');
    expect(degraded.status?.resources?.find((r) => r.kind === 'Deployment')).toMatchObject({ name: 'worker', status: 'Synced' });
    // As for the route: the Application names the resource, not the reason ("exceeded its progress deadline").
    expect(degraded.status?.resources?.find((r) => r.kind === 'Deployment')?.health).toBeUndefined();
    expect(degraded.status?.health?.message).toBe(`Caused by apps/Deployment:${ns}/worker`);
    const deployment = await appsApi.readNamespacedDeployment({ namespace: ns, name: 'worker' });
    expect(deployment.spec?.template.spec?.containers[0]?.image).toBe('registry.example.test/acme/worker:sha-slow');
    expect(deployment.status?.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' })]));
  });

  describe('a failed sync', () => {
    it('retries the same revision without a retry policy (Argo CD defaults), and does not pick up a pushed fix while it does', async () => {
      const ns = await previewNamespace();
      const path = `tests/${uniqueId('broken')}`;
      const broken = await repo.copyApp('broken', path);
      const name = uniqueId('broken-default');
      await create(application(name, { path, namespace: ns, releaseName: 'web' }));
      const retrying = await waitApp(name, 'retrying', (a) => a.status?.operationState?.phase === 'Running' && (a.status.operationState.retryCount ?? 0) >= 1);
      expect(retrying.status?.operationState?.message).toMatch(/70000|port/i);
      expect(retrying.status?.operationState?.operation?.sync?.revision).toBe(broken);

      const fixed = await repo.commit({ [`${path}/values.yaml`]: readFileSync(join(repo.dir, path, 'values.yaml'), 'utf8').replace('port: 70000', 'port: 8080') }, 'Fix the port');
      // Two resync periods and a revision-cache expiry later, the operation still syncs the broken revision.
      await new Promise((r) => setTimeout(r, 12_000));
      const later = await get(name);
      expect(later?.status?.operationState?.phase).toBe('Running');
      expect(later?.status?.operationState?.operation?.sync?.revision).toBe(broken);
      expect(later?.status?.sync?.revision).toBe(fixed);
    });

    it('with a bounded retry policy ends Failed quickly, and a pushed fix brings it to Synced + Healthy', async () => {
      const ns = await previewNamespace();
      const path = `tests/${uniqueId('broken')}`;
      const broken = await repo.copyApp('broken', path);
      const name = uniqueId('broken-fix');
      const started = Date.now();
      await create(application(name, { path, namespace: ns, releaseName: 'web', retry: BOUNDED_RETRY }));
      const failed = await waitApp(name, 'Failed', (a) => a.status?.operationState?.phase === 'Failed');
      record('create -> Failed (bounded retry)', Date.now() - started);
      expect(failed.status?.operationState?.message).toMatch(/70000|port/i);
      expect(failed.status?.operationState?.syncResult?.revision).toBe(broken);
      expect(failed.status?.sync?.status).toBe('OutOfSync');

      const pushed = Date.now();
      const fixed = await repo.commit({ [`${path}/values.yaml`]: readFileSync(join(repo.dir, path, 'values.yaml'), 'utf8').replace('port: 70000', 'port: 8080') }, 'Fix the port');
      // Argo CD marks the app Synced + Healthy a moment before it closes the sync operation
      // (seen in CI: operationState still Running), so the wait includes the operation's end.
      const healthy = await waitApp(
        name,
        'Synced + Healthy at the fix, its sync operation finished',
        (a) => isSyncedHealthy(a) && a.status?.sync?.revision === fixed && a.status?.operationState?.phase !== 'Running',
      );
      record('pushed fix -> Synced+Healthy', Date.now() - pushed);
      expect(healthy.status?.operationState).toMatchObject({ phase: 'Succeeded', syncResult: { revision: fixed } });
      await expect(core.readNamespacedService({ namespace: ns, name: 'web' })).resolves.toMatchObject({ spec: { ports: [expect.objectContaining({ port: 8080 })] } });
    });

    it('is not retried for the same revision and parameters: re-applying or refreshing does nothing, an explicit operation.sync does', async () => {
      const ns = await previewNamespace();
      // A quota that forbids ConfigMaps makes the sync fail for a reason outside the manifests, which can then be lifted.
      await core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'no-configmaps' }, spec: { hard: { configmaps: '0' } } } });
      await waitFor(async () => (await core.readNamespacedResourceQuota({ namespace: ns, name: 'no-configmaps' })).status?.used !== undefined, 'quota status');
      const name = uniqueId('resync');
      const app = application(name, { path: 'web', namespace: ns, tag: 'sha-quota', retry: BOUNDED_RETRY });
      await create(app);
      const failed = await waitApp(name, 'Failed', (a) => a.status?.operationState?.phase === 'Failed');
      expect(failed.status?.operationState?.message).toMatch(/quota/i);
      const revision = failed.status?.operationState?.syncResult?.revision;
      const firstStart = failed.status?.operationState?.startedAt;
      await core.deleteNamespacedResourceQuota({ namespace: ns, name: 'no-configmaps' });

      // What `/preview redeploy` does today: re-apply the identical Application (a server-side-apply no-op) ...
      await custom.patchNamespacedCustomObject(
        { ...APPS, namespace: argocd.namespace, name, body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...app }, fieldManager: 'previewd', force: true },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
      // ... and ask for a refresh, hard included. Automated sync still refuses the revision it already failed.
      await mergePatch(name, { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'hard' } } });
      await waitApp(name, 'refreshed', (a) => a.metadata.annotations?.['argocd.argoproj.io/refresh'] === undefined);
      await new Promise((r) => setTimeout(r, 12_000));
      const stuck = await waitApp(name, 'reporting the skipped auto-sync', (a) => (a.status?.conditions ?? []).some((c) => c.type === 'SyncError'));
      expect(stuck.status?.operationState).toMatchObject({ phase: 'Failed', startedAt: firstStart });
      expect(stuck.status?.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'SyncError', message: expect.stringContaining(`Failed last sync attempt to [${revision}]`) })]));
      await expect(core.readNamespacedConfigMap({ namespace: ns, name: 'web' })).rejects.toMatchObject({ code: 404 });

      // An explicit operation (what the Argo CD CLI/UI "sync" writes) starts a new sync of the same revision.
      await mergePatch(name, {
        operation: { initiatedBy: { username: 'previewd' }, sync: { revision, prune: true, syncOptions: PREVIEWD_SYNC_OPTIONS }, retry: BOUNDED_RETRY },
      });
      const healthy = await waitApp(name, 'Synced + Healthy after operation.sync', (a) => isSyncedHealthy(a) && a.status?.operationState?.phase === 'Succeeded');
      expect(healthy.status?.operationState?.operation?.initiatedBy).toEqual({ username: 'previewd' });
      expect(healthy.status?.operationState?.syncResult?.revision).toBe(revision);
      expect(await configMapData(ns, 'web')).toEqual({ image: `${IMAGE}:sha-quota` });
    });
  });

  it('prunes the app\'s objects through the resources finalizer on delete, then the namespace goes', async () => {
    const ns = await previewNamespace();
    const name = uniqueId('prune');
    const started = Date.now();
    await create(application(name, { path: 'web', namespace: ns, tag: 'sha-prune' }));
    await waitApp(name, 'Synced + Healthy', isSyncedHealthy);
    record('create -> Synced+Healthy', Date.now() - started);
    const deleted = Date.now();
    await custom.deleteNamespacedCustomObject({ ...APPS, namespace: argocd.namespace, name });
    await waitGone(() => custom.getNamespacedCustomObject({ ...APPS, namespace: argocd.namespace, name }), `Application ${name}`);
    record('delete -> Application gone (pruned)', Date.now() - deleted);
    await expect(core.readNamespacedConfigMap({ namespace: ns, name: 'web' })).rejects.toMatchObject({ code: 404 });
    await expect(core.readNamespacedService({ namespace: ns, name: 'web' })).rejects.toMatchObject({ code: 404 });
    const nsDeleted = Date.now();
    await core.deleteNamespace({ name: ns });
    await waitGone(() => core.readNamespace({ name: ns }), `namespace ${ns}`);
    record('delete namespace -> gone', Date.now() - nsDeleted);
  });

  describe('the previews AppProject (rendered from charts/previewd)', () => {
    it('refuses a destination outside pr-*: InvalidSpecError, nothing created', async () => {
      const name = uniqueId('outside');
      await create(application(name, { path: 'web', namespace: 'kube-system', tag: 'sha-outside', releaseName: name }));
      const refused = await waitApp(name, 'refused', (a) => (a.status?.conditions ?? []).some((c) => c.type === 'InvalidSpecError'));
      expect(refused.status?.conditions?.find((c) => c.type === 'InvalidSpecError')?.message).toMatch(/kube-system.*do(es)? not match any of the allowed destinations in project 'previews'/);
      expect(refused.status?.operationState).toBeUndefined();
      await new Promise((r) => setTimeout(r, 3_000));
      await expect(core.readNamespacedConfigMap({ namespace: 'kube-system', name })).rejects.toMatchObject({ code: 404 });
    });

    it('refuses an object that names a namespace outside pr-* itself', async () => {
      const ns = await previewNamespace();
      const name = uniqueId('explicit-ns');
      await create(application(name, { path: 'shared', namespace: ns, releaseName: 'a', helmParameters: { namespaceOverride: 'kube-system' }, retry: BOUNDED_RETRY }));
      const failed = await waitApp(name, 'refused', (a) => a.status?.operationState?.phase === 'Failed' || (a.status?.conditions ?? []).some((c) => c.type.endsWith('Error')));
      expect(summary(failed)).toMatch(/kube-system.*not permitted in project 'previews'/);
      await expect(core.readNamespacedConfigMap({ namespace: 'kube-system', name: 'shared-settings' })).rejects.toMatchObject({ code: 404 });
    });
  });

  describe('FailOnSharedResource', () => {
    async function owner(ns: string): Promise<string> {
      const owning = uniqueId('owner');
      const started = Date.now();
      await create(application(owning, { path: 'shared', namespace: ns, releaseName: 'owner', tag: 'sha-owner' }));
      await waitApp(owning, 'Synced + Healthy', isSyncedHealthy);
      record('create -> Synced+Healthy', Date.now() - started);
      expect((await configMapData(ns, 'shared-settings'))?.release).toBe('owner');
      return owning;
    }

    it('refuses a second service of the same preview that renders the same object', async () => {
      const ns = await previewNamespace();
      await owner(ns);
      const name = uniqueId('second');
      await create(application(name, { path: 'shared', namespace: ns, releaseName: 'second', retry: BOUNDED_RETRY }));
      const failed = await waitApp(name, 'Failed', (a) => a.status?.operationState?.phase === 'Failed');
      expect(failed.status?.operationState?.message).toMatch(/shared-settings.*(already|part of|shared)/i);
      expect((await configMapData(ns, 'shared-settings'))?.release).toBe('owner');
    });

    it('refuses a preview whose bundle names another preview\'s namespace (which the AppProject allows)', async () => {
      const victim = await previewNamespace();
      await owner(victim);
      const attacker = await previewNamespace();
      const name = uniqueId('takeover');
      await create(application(name, { path: 'shared', namespace: attacker, releaseName: 'takeover', helmParameters: { namespaceOverride: victim }, retry: BOUNDED_RETRY }));
      const failed = await waitApp(name, 'Failed', (a) => a.status?.operationState?.phase === 'Failed');
      expect(failed.status?.operationState?.message).toMatch(/shared-settings/);
      expect((await configMapData(victim, 'shared-settings'))?.release).toBe('owner');
    });

    it('is what stops the takeover: without it, Argo CD adopts the other Application\'s object', async () => {
      const ns = await previewNamespace();
      const owning = await owner(ns);
      const name = uniqueId('adopter');
      const withoutFailOnShared = PREVIEWD_SYNC_OPTIONS.filter((o) => !o.startsWith('FailOnSharedResource'));
      await create(application(name, { path: 'shared', namespace: ns, releaseName: 'adopter', syncOptions: withoutFailOnShared, retry: BOUNDED_RETRY }));
      await waitApp(name, 'Synced', (a) => a.status?.operationState?.phase === 'Succeeded');
      expect((await configMapData(ns, 'shared-settings'))?.release).toBe('adopter');
      const warned = await waitApp(owning, 'warned', (a) => (a.status?.conditions ?? []).some((c) => c.type === 'SharedResourceWarning'));
      expect(warned.status?.conditions?.find((c) => c.type === 'SharedResourceWarning')?.message).toContain('shared-settings');
    });

    it('does not protect an object Argo CD does not track, such as one previewd applied itself', async () => {
      const ns = await previewNamespace();
      // Like previewd's binding ConfigMaps: applied straight to the namespace, no Argo CD tracking annotation.
      await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'shared-settings' }, data: { release: 'previewd-baseline' } } });
      const name = uniqueId('untracked');
      await create(application(name, { path: 'shared', namespace: ns, releaseName: 'app', retry: BOUNDED_RETRY }));
      await waitApp(name, 'Synced + Healthy', isSyncedHealthy);
      expect((await configMapData(ns, 'shared-settings'))?.release).toBe('app');
    });
  });
});

async function waitFor(probe: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}
