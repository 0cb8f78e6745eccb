import { ApiException, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { harnessState, testKubeConfig, uniqueId } from '../harness';

const ARGO = { group: 'argoproj.io', version: 'v1alpha1', plural: 'applications' };

function application(name: string, spec: Record<string, unknown>) {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' }, spec };
}

async function ensureNamespace(core: CoreV1Api, name: string): Promise<void> {
  try {
    await core.createNamespace({ body: { metadata: { name } } });
  } catch (err) {
    if (!(err instanceof ApiException && err.code === 409)) throw err;
  }
}

describe('test control plane', () => {
  let kc: KubeConfig;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;

  beforeAll(async () => {
    kc = testKubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
    await ensureNamespace(core, 'argocd');
  });

  it('serves the shared CRDs', () => {
    expect(harnessState().kube.crds).toEqual(
      expect.arrayContaining(['applications.argoproj.io', 'appprojects.argoproj.io', 'applicationsets.argoproj.io', 'httproutes.gateway.networking.k8s.io', 'externalsecrets.external-secrets.io']),
    );
  });

  it('creates a Namespace and an Argo CD Application', async () => {
    const ns = uniqueId('pr-proof');
    await core.createNamespace({ body: { metadata: { name: ns, labels: { 'app.kubernetes.io/managed-by': 'previewd' } } } });
    const name = uniqueId('proof-app');
    await custom.createNamespacedCustomObject({
      ...ARGO,
      namespace: 'argocd',
      body: application(name, {
        project: 'previews',
        source: { repoURL: 'https://example.invalid/apps.git', path: 'web', targetRevision: 'HEAD' },
        destination: { server: 'https://kubernetes.default.svc', namespace: ns },
      }),
    });
    const read = (await custom.getNamespacedCustomObject({ ...ARGO, namespace: 'argocd', name })) as { spec: { destination: { namespace: string } } };
    expect(read.spec.destination.namespace).toBe(ns);
    expect((await core.readNamespace({ name: ns })).metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('previewd');
  });

  it('rejects an Application that violates the CRD schema with 422', async () => {
    const attempt = custom.createNamespacedCustomObject({
      ...ARGO,
      namespace: 'argocd',
      body: application(uniqueId('invalid'), { project: 'previews', destination: 'not-an-object' }),
    });
    const err = await attempt.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect((err as ApiException<string>).code).toBe(422);
    expect(String((err as ApiException<string>).body)).toMatch(/spec\.destination/);
  });

  it('really removes a deleted namespace and its content', async () => {
    const ns = uniqueId('pr-gone');
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'content' }, data: { a: 'b' } } });
    await core.deleteNamespace({ name: ns });
    const status = await waitForNotFound(() => core.readNamespace({ name: ns }));
    expect(status).toBe(404);
  });
});

async function waitForNotFound(read: () => Promise<unknown>, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await read();
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return 404;
      throw err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`still present after ${timeoutMs} ms (is kube-controller-manager running its namespace controller?)`);
}
