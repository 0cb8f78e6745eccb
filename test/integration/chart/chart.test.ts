import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ApiException, CoreV1Api, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { durationMs } from '../../../src/config/durations';
import { loadConfig } from '../../../src/config';
import { adminKubeHttp, harnessState, testKubeConfig, uniqueId, type KubeHttp, type KubeHttpResponse } from '../../harness';

const run = promisify(execFile);
const CHART = resolve(__dirname, '../../../charts/previewd');
const FULL_VALUES = resolve(CHART, 'ci/full-values.yaml');
const RELEASE_NS = 'previewd-system';
const SA_USER = `system:serviceaccount:${RELEASE_NS}:previewd`;
const OWNED = { 'app.kubernetes.io/managed-by': 'previewd' };
/** config.databases.secretName as the chart test sets it (the config's default). */
const DATABASE_SECRET = 'preview-database';

async function helm(...args: string[]): Promise<string> {
  const { stdout } = await run(harnessState().helm, args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function render(...extra: string[]): Promise<KubernetesObject[]> {
  const out = await helm('template', 'previewd', CHART, '--namespace', RELEASE_NS, ...extra);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as KubernetesObject | null)
    .filter((d): d is KubernetesObject => d !== null);
}

async function ensureNamespace(core: CoreV1Api, name: string): Promise<void> {
  try {
    await core.createNamespace({ body: { metadata: { name } } });
  } catch (err) {
    if (!(err instanceof ApiException && err.code === 409)) throw err;
  }
}

function apply(api: KubernetesObjectApi, obj: KubernetesObject, dryRun?: 'All') {
  return api.patch(obj, undefined, dryRun, 'previewd-chart-test', true, PatchStrategy.ServerSideApply);
}

describe('charts/previewd', () => {
  const kc = testKubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const objects = KubernetesObjectApi.makeApiClient(kc);

  beforeAll(async () => {
    await ensureNamespace(core, RELEASE_NS);
    await ensureNamespace(core, 'argocd');
  });

  it.each([
    ['default values', [] as string[]],
    ['full-featured values', ['--values', FULL_VALUES]],
  ])('lints and renders with %s, and the API server accepts every object (server-side dry run)', async (_name, args) => {
    await expect(helm('lint', CHART, '--strict', ...args)).resolves.toMatch(/0 chart\(s\) failed/);
    const docs = await render(...args);
    const monitoring = docs.filter((d) => d.apiVersion?.startsWith('monitoring.coreos.com/'));
    // The Prometheus Operator's CRD is not among the shared CRDs; everything else is validated.
    for (const doc of docs.filter((d) => !monitoring.includes(d))) {
      await expect(apply(objects, doc, 'All')).resolves.toMatchObject({ kind: doc.kind });
    }
    expect(docs.map((d) => d.kind)).toEqual(expect.arrayContaining(['Deployment', 'ClusterRole', 'Role', 'AppProject', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'PodDisruptionBudget']));
  });

  it('runs both components as non-root with a read-only root filesystem, and keeps the AppProject tight', async () => {
    const docs = await render('--values', FULL_VALUES);
    const deployments = docs.filter((d) => d.kind === 'Deployment') as unknown as DeploymentDoc[];
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['previewd-ingress', 'previewd-worker']);
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.containers[0]?.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(pod.containers[0]?.readinessProbe).toBeDefined();
      expect(pod.containers[0]?.livenessProbe).toBeDefined();
    }
    const project = docs.find((d) => d.kind === 'AppProject') as unknown as { spec: Record<string, unknown> };
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'pr-*' }]);
    expect(project.spec.sourceRepos).toEqual(['https://github.com/acme/deploy.git', 'https://github.com/acme/shop.git']);
    expect(docs.some((d) => d.kind === 'Secret')).toBe(false); // existingSecret is used instead
  });

  it('renders the worker tuning as environment variables that the config loader reads back, within the pod grace period', async () => {
    const docs = await render('--set', 'worker.tuning.maxCachedWorkflows=120', '--set', 'worker.clusterWatch=false', '--set', 'worker.registerSearchAttributes=true');
    const worker = docs.find((d) => d.kind === 'Deployment' && d.metadata?.name === 'previewd-worker') as unknown as DeploymentDoc;
    const pod = worker.spec.template.spec as DeploymentDoc['spec']['template']['spec'] & { terminationGracePeriodSeconds?: number };
    const env = Object.fromEntries((pod.containers[0]?.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]));
    const { PREVIEWD_CONFIG: _file, ...variables } = env;
    const config = loadConfig({ env: variables });
    expect(config.worker).toMatchObject({
      tuning: { maxCachedWorkflows: 120, maxConcurrentActivityTaskExecutions: 50, maxConcurrentWorkflowTaskExecutions: 40, shutdownGraceTime: '20s' },
      clusterWatch: false,
      coreMetricsPort: 9465,
    });
    expect(config.temporal.registerSearchAttributes).toBe(true);
    expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(durationMs(config.worker.tuning.shutdownGraceTime));
    const ingress = docs.find((d) => d.kind === 'Deployment' && d.metadata?.name === 'previewd-ingress') as unknown as DeploymentDoc;
    expect((ingress.spec.template.spec.containers[0]?.env ?? []).map((e) => e.name)).not.toContain('PREVIEWD_WORKER_MAX_CACHED_WORKFLOWS');
    await expect(helm('template', 'previewd', CHART, '--set', 'worker.tuning.workflowTaskSlots=1')).rejects.toThrow(/workflowTaskSlots/);
  });

  it('passes extraEnv (the OTEL_* variables) to both components, and the config loader turns tracing on from them', async () => {
    const docs = await render('--values', FULL_VALUES);
    for (const name of ['previewd-worker', 'previewd-ingress']) {
      const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata?.name === name) as unknown as DeploymentDoc;
      const env = deployment.spec.template.spec.containers[0]?.env ?? [];
      // The exporter's headers come from a Secret, as a reference: never a value in the manifest.
      expect(env.find((e) => e.name === 'OTEL_EXPORTER_OTLP_HEADERS')).toEqual({ name: 'OTEL_EXPORTER_OTLP_HEADERS', valueFrom: { secretKeyRef: { name: 'otlp-credentials', key: 'headers' } } });
      const { PREVIEWD_CONFIG: _file, ...variables } = Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]));
      expect(loadConfig({ env: variables }).telemetry).toMatchObject({
        enabled: true,
        otlpEndpoint: 'http://otel-collector.monitoring:4318',
        resourceAttributes: { 'deployment.environment.name': 'production', 'k8s.cluster.name': 'eu-1' },
      });
    }
    await expect(helm('template', 'previewd', CHART, '--set', 'extraEnv[0].value=x')).rejects.toThrow(/extraEnv/);
  });

  it('with worker versioning, runs the new build as the current version and each draining build as its own Deployment, and the API server accepts them', async () => {
    const docs = await render('--set', 'image.tag=1.5.0', '--set', 'worker.versioning.enabled=true', '--set', 'worker.versioning.draining[0].buildId=1.4.0');
    const workers = docs.filter((d) => d.kind === 'Deployment' && d.metadata?.name?.startsWith('previewd-worker')) as unknown as DeploymentDoc[];
    expect(workers.map((d) => d.metadata.name).sort()).toEqual(['previewd-worker', 'previewd-worker-draining-1-4-0']);
    const configOf = (d: DeploymentDoc) => {
      const env = d.spec.template.spec.containers[0]?.env ?? [];
      const { PREVIEWD_CONFIG: _file, ...variables } = Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]));
      return loadConfig({ env: variables }).worker.deployment;
    };
    const [current, draining] = [workers.find((d) => d.metadata.name === 'previewd-worker')!, workers.find((d) => d.metadata.name !== 'previewd-worker')!];
    expect(configOf(current)).toEqual({ name: 'previewd', buildId: '1.5.0', setCurrent: true });
    expect(configOf(draining)).toEqual({ name: 'previewd', buildId: '1.4.0', setCurrent: false });
    expect(current.spec.template.spec.containers[0]?.image).toMatch(/:1\.5\.0$/);
    expect(draining.spec.template.spec.containers[0]?.image).toMatch(/:1\.4\.0$/);
    // Disjoint selectors: the current Deployment's ReplicaSets never adopt the draining build's pods.
    const selectorOf = (d: DeploymentDoc) => (d as unknown as { spec: { selector: { matchLabels: Record<string, string> } } }).spec.selector.matchLabels;
    expect(selectorOf(current)['app.kubernetes.io/component']).toBe('worker');
    expect(selectorOf(draining)).toMatchObject({ 'app.kubernetes.io/component': 'worker-draining', 'previewd.dev/build': '1-4-0' });
    for (const doc of workers) await expect(apply(objects, doc as unknown as KubernetesObject, 'All')).resolves.toMatchObject({ kind: 'Deployment' });
    // Unversioned by default: no deployment in the worker's config.
    const plain = (await render()).find((d) => d.kind === 'Deployment' && d.metadata?.name === 'previewd-worker') as unknown as DeploymentDoc;
    expect(configOf(plain)).toBeUndefined();
    await expect(helm('template', 'previewd', CHART, '--set', 'image.tag=1.5.0', '--set', 'worker.versioning.enabled=true', '--set', 'worker.versioning.draining[0].buildId=1.5.0')).rejects.toThrow(/draining lists 1\.5\.0, the build being deployed/);
    await expect(helm('template', 'previewd', CHART, '--set', 'worker.versioning.enabled=true', '--set', 'worker.versioning.buildId=no/slash')).rejects.toThrow(/buildId/);
  });

  it('rejects invalid values through values.schema.json, naming the field', async () => {
    await expect(helm('template', 'previewd', CHART, '--set', 'ingress.exposure.kind=Bogus')).rejects.toThrow(/exposure.*kind/s);
    await expect(helm('template', 'previewd', CHART, '--set', 'argocd.project.sourceRepos[0]=*')).rejects.toThrow(/sourceRepos/);
  });

  it('renders the sync identity: the ClusterRole, its bind right for previewd, the AppProject naming it, the config filled in', async () => {
    const docs = await render('--set-json', 'config={"cluster":{"baseEnvironment":{"name":"dev","namespace":"dev"},"domain":"example.test"}}');
    const project = docs.find((d) => d.kind === 'AppProject') as unknown as { spec: Record<string, unknown> };
    expect(project.spec.destinationServiceAccounts).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'pr-*', defaultServiceAccount: 'previewd-sync' }]);
    const roles = docs.filter((d) => d.kind === 'ClusterRole') as unknown as { metadata: { name: string }; rules: { verbs: string[]; resources: string[]; resourceNames?: string[] }[] }[];
    const sync = roles.find((r) => r.metadata.name === 'previewd-preview-sync');
    expect(sync?.rules.flatMap((r) => r.resources)).not.toEqual(expect.arrayContaining(['roles', 'rolebindings', 'externalsecrets', 'networkpolicies', 'resourcequotas', 'limitranges']));
    const bind = roles.flatMap((r) => r.rules).filter((r) => r.verbs.includes('bind'));
    expect(bind).toEqual([expect.objectContaining({ resources: ['clusterroles'], resourceNames: ['previewd-preview-sync'] })]);
    const config = docs.find((d) => d.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
    expect(parseAllDocuments(config.data['config.yaml'] ?? '')[0]?.toJS()).toMatchObject({ cluster: { argocd: { syncServiceAccount: { name: 'previewd-sync', clusterRole: 'previewd-preview-sync' } } } });

    const off = await render('--set', 'argocd.syncImpersonation.enabled=false');
    expect((off.find((d) => d.kind === 'AppProject') as unknown as { spec: Record<string, unknown> }).spec.destinationServiceAccounts).toBeUndefined();
    expect(off.some((d) => d.kind === 'ClusterRole' && d.metadata?.name === 'previewd-preview-sync')).toBe(false);
  });

  describe('ValidatingAdmissionPolicy for the previewd service account', () => {
    const http: KubeHttp = adminKubeHttp();
    const as = { 'Impersonate-User': SA_USER };
    const nsBody = (name: string, labels?: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    const createNs = (name: string, labels?: Record<string, string>) => http.send('POST', '/api/v1/namespaces', nsBody(name, labels), 'application/json', as);

    beforeAll(async () => {
      // With a databases section, so the ClusterRole carries the credentials Secret rule.
      const docs = await render('--set-json', `config.databases=${JSON.stringify({ admin: { host: 'postgres.db', user: 'previewd_admin' }, secretName: DATABASE_SECRET })}`);
      const wanted = ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'];
      for (const doc of docs.filter((d) => wanted.includes(d.kind ?? ''))) await apply(objects, doc);
      // Policies take effect asynchronously: wait until the guard denies an unprefixed namespace.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const name = uniqueId('guard-probe');
        const probe = await createNs(name, OWNED);
        if (probe.status === 403 && statusMessage(probe).includes('previewd may only manage')) break;
        // Not active yet: the API server's policy informer lags the write. Remove the probe and retry.
        if (probe.status === 201) await core.deleteNamespace({ name });
        if (Date.now() > deadline) throw new Error(`admission policy never became active: ${probe.status} ${probe.body}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      // Each policy becomes active on its own schedule: wait for the namespaced-object and Secret guards too.
      const body = (kind: string, name: string) => JSON.stringify({ apiVersion: 'v1', kind, metadata: { name, namespace: 'default' } });
      const probes = [
        { kind: 'ConfigMap', path: '/api/v1/namespaces/default/configmaps', name: () => uniqueId('guard-probe'), method: 'POST', type: 'application/json' },
        // RBAC lets the service account write this one name only, by server-side apply; admission decides where.
        { kind: 'Secret', path: '/api/v1/namespaces/default/secrets', name: () => DATABASE_SECRET, method: 'PATCH', type: 'application/apply-patch+yaml' },
      ];
      for (const probe of probes) {
        for (;;) {
          const name = probe.name();
          const url = probe.method === 'PATCH' ? `${probe.path}/${name}?fieldManager=previewd&force=true` : probe.path;
          const res = await http.send(probe.method, url, body(probe.kind, name), probe.type, as);
          if (res.status === 403 && statusMessage(res).includes('previewd may only write into its own preview namespaces')) break;
          if (res.status === 200 || res.status === 201) await http.send('DELETE', `${probe.path}/${name}`, undefined, 'application/json');
          if (Date.now() > deadline) throw new Error(`admission policy for ${probe.kind} never became active: ${res.status} ${res.body}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    });

    it('denies kube-system2 and other unprefixed namespaces, even with the ownership label', async () => {
      for (const name of ['kube-system2', 'default2', 'prx-1', 'team-pr-1']) {
        const res = await createNs(name, OWNED);
        expect({ name, status: res.status }).toEqual({ name, status: 403 });
        expect(statusMessage(res)).toContain(`previewd may only manage namespaces named pr-<repo>-<pr>, not ${name}`);
      }
      await expect(core.readNamespace({ name: 'kube-system2' })).rejects.toMatchObject({ code: 404 });
    });

    it('allows a labelled pr- namespace and its deletion, and denies one without the label', async () => {
      const name = `pr-${uniqueId('shop')}`.slice(0, 40);
      expect((await createNs(name, OWNED)).status).toBe(201);
      const unlabelled = await createNs(`${name}-x`);
      expect(unlabelled.status).toBe(403);
      expect(statusMessage(unlabelled)).toContain('previewd namespaces must carry the label app.kubernetes.io/managed-by=previewd');
      expect((await http.send('DELETE', `/api/v1/namespaces/${name}`, undefined, 'application/json', as)).status).toBe(200);
    });

    it('denies deleting or adopting a pr- namespace previewd does not own', async () => {
      const name = `pr-${uniqueId('foreign')}`.slice(0, 40);
      await core.createNamespace({ body: { metadata: { name } } }); // created by someone else, unlabelled
      const del = await http.send('DELETE', `/api/v1/namespaces/${name}`, undefined, 'application/json', as);
      expect(del.status).toBe(403);
      expect(statusMessage(del)).toContain(`namespace ${name} is not owned by previewd`);
      const adopt = await http.send('PATCH', `/api/v1/namespaces/${name}`, JSON.stringify({ metadata: { labels: OWNED } }), 'application/merge-patch+json', as);
      expect(adopt.status).toBe(403);
      expect((await core.readNamespace({ name })).metadata?.labels?.['app.kubernetes.io/managed-by']).toBeUndefined();
    });

    it('lets previewd bind the preview-sync role in its own preview namespaces only, and no other role', async () => {
      const binding = (ns: string, role: string) =>
        JSON.stringify({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: uniqueId('sync'), namespace: ns },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
          subjects: [{ kind: 'ServiceAccount', name: 'previewd-sync', namespace: ns }],
        });
      const post = (ns: string, role: string) => http.send('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, binding(ns, role), 'application/json', as);
      const name = `pr-${uniqueId('bind')}`.slice(0, 40);
      expect((await createNs(name, OWNED)).status).toBe(201);
      expect((await post(name, 'previewd-preview-sync')).status).toBe(201);
      // RBAC's escalation check: previewd holds no bind right on cluster-admin, nor its permissions.
      const escalation = await post(name, 'cluster-admin');
      expect(escalation.status).toBe(403);
      expect(statusMessage(escalation)).toMatch(/escalat|bind/);
      // The admission policy: RoleBindings only in previewd's own preview namespaces.
      expect((await post('default', 'previewd-preview-sync')).status).toBe(403);
    });

    it('denies writing baseline objects outside preview namespaces', async () => {
      const cm = (ns: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: uniqueId('cm'), namespace: ns } });
      const outside = await http.send('POST', '/api/v1/namespaces/default/configmaps', cm('default'), 'application/json', as);
      expect(outside.status).toBe(403);
      expect(statusMessage(outside)).toContain('previewd may only write into its own preview namespaces, not default');
      const name = `pr-${uniqueId('own')}`.slice(0, 40);
      expect((await createNs(name, OWNED)).status).toBe(201);
      expect((await http.send('POST', `/api/v1/namespaces/${name}/configmaps`, cm(name), 'application/json', as)).status).toBe(201);
    });

    it('lets previewd apply and read its database credentials Secret in preview namespaces, and no other Secret', async () => {
      const body = (ns: string, secret: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: secret, namespace: ns }, stringData: { password: 'not-a-real-one' } });
      // Server-side apply, as the worker's Secret store writes it: creates the Secret the first time.
      const applySecret = (ns: string, secret: string) =>
        http.send('PATCH', `/api/v1/namespaces/${ns}/secrets/${secret}?fieldManager=previewd&force=true`, body(ns, secret), 'application/apply-patch+yaml', as);
      const name = `pr-${uniqueId('db')}`.slice(0, 40);
      expect((await createNs(name, OWNED)).status).toBe(201);
      expect((await applySecret(name, DATABASE_SECRET)).status).toBe(201);
      expect((await applySecret(name, DATABASE_SECRET)).status).toBe(200);
      expect((await http.send('GET', `/api/v1/namespaces/${name}/secrets/${DATABASE_SECRET}`, undefined, 'application/json', as)).status).toBe(200);
      // RBAC: no other name, no list.
      expect((await applySecret(name, 'other-secret')).status).toBe(403);
      expect((await http.send('GET', `/api/v1/namespaces/${name}/secrets`, undefined, 'application/json', as)).status).toBe(403);
      expect((await http.send('GET', `/api/v1/namespaces/kube-system/secrets/other-secret`, undefined, 'application/json', as)).status).toBe(403);
      // The admission policy: the Secret's name anywhere else is still not writable.
      const outside = await applySecret('default', DATABASE_SECRET);
      expect(outside.status).toBe(403);
      expect(statusMessage(outside)).toContain('previewd may only write into its own preview namespaces, not default');
    });
  });
});

/** The API server's Status message (the body is JSON, with `<` and `>` escaped). */
function statusMessage(res: KubeHttpResponse): string {
  return (JSON.parse(res.body) as { message?: string }).message ?? '';
}

interface DeploymentDoc {
  metadata: { name: string };
  spec: {
    template: {
      spec: {
        securityContext: { runAsNonRoot?: boolean };
        containers: { image?: string; securityContext?: Record<string, unknown>; readinessProbe?: unknown; livenessProbe?: unknown; env?: { name: string; value?: string; valueFrom?: unknown }[] }[];
      };
    };
  };
}
