import { EGRESS_POLICY_NAME, namespaceNameFor, type KubeObject } from '../../../src/kubernetes';
import { kubeFixture, runActivity, sha, testSettings, uniquePreview } from './support';

// The baseline's new objects on the real API server with the real CRDs (ExternalSecret
// external-secrets.io/v1 from /work/shared/crds): accepted as previewd builds them, and read
// back with the content intended. The API server validates NetworkPolicy peers and ports, the
// ExternalSecret schema and RoleBinding references, so a malformed rule fails here.

describe('baseline round trip: egress policy, runtime secrets, sync identity', () => {
  const kube = kubeFixture();
  const settings = testSettings({
    egress: { namespaces: ['observability'], cidrs: [{ cidr: '10.20.0.0/16', except: ['10.20.99.0/24'] }] },
    secretStores: [{ name: 'previews', allowedRemoteKeys: ['ghcr-pull', 'previews/{namespace}/db', 'shared/smtp'] }],
    secrets: [
      { name: 'app-db', store: 'previews', data: [{ secretKey: 'DATABASE_URL', remoteKey: 'previews/{namespace}/db', property: 'url' }] },
      { name: 'smtp', store: 'previews', refreshInterval: '15m', data: [{ secretKey: 'SMTP_PASSWORD', remoteKey: 'shared/smtp' }] },
    ],
    argocd: { ...testSettings().argocd, syncServiceAccount: {} },
  });
  const preview = uniquePreview();
  const namespace = namespaceNameFor(settings, preview);

  afterAll(async () => {
    await runActivity(kube.activities(settings).teardown, { preview }).catch(() => undefined);
  }, 120_000);

  const get = (apiVersion: string, kind: string, name: string): Promise<KubeObject | undefined> => kube.api.get({ apiVersion, kind, namespace, name });

  it('applies them and reads back exactly the rules and references intended', async () => {
    const acts = kube.activities(settings);
    await runActivity(acts.ensureNamespace, { preview, headSha: sha('e1'), workflowId: 'wf-round-trip', expiresAt: '2030-01-01T00:00:00.000Z' });
    const baseline = await runActivity(acts.applyBaseline, { preview });
    expect(baseline.objects).toEqual([
      `NetworkPolicy ${namespace}/previewd-ingress`,
      `NetworkPolicy ${namespace}/${EGRESS_POLICY_NAME}`,
      `ResourceQuota ${namespace}/previewd-quota`,
      `LimitRange ${namespace}/previewd-limits`,
      `ServiceAccount ${namespace}/previewd-sync`,
      `RoleBinding ${namespace}/previewd-sync`,
      `ExternalSecret ${namespace}/ghcr-pull`,
      `ExternalSecret ${namespace}/app-db`,
      `ExternalSecret ${namespace}/smtp`,
      `ConfigMap ${namespace}/base-env`,
    ]);

    const egress = await get('networking.k8s.io/v1', 'NetworkPolicy', EGRESS_POLICY_NAME);
    const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    expect(egress?.spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        // Its own namespace; the base environment and the extra namespace by their unforgeable name label.
        { to: [{ podSelector: {} }] },
        { to: [ns('dev'), ns('observability')] },
        // Cluster DNS only: kube-dns pods in kube-system, port 53 on both protocols.
        {
          to: [{ ...ns('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
        { to: [{ ipBlock: { cidr: '10.20.0.0/16', except: ['10.20.99.0/24'] } }] },
      ],
    });

    // The remote key's {namespace} is the preview namespace; nothing else from the PR goes in.
    expect((await get('external-secrets.io/v1', 'ExternalSecret', 'app-db'))?.spec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'previews' },
      target: { name: 'app-db', creationPolicy: 'Owner' },
      data: [{ secretKey: 'DATABASE_URL', remoteRef: { key: `previews/${namespace}/db`, property: 'url' } }],
    });
    expect((await get('external-secrets.io/v1', 'ExternalSecret', 'smtp'))?.spec).toMatchObject({ refreshInterval: '15m', data: [{ secretKey: 'SMTP_PASSWORD', remoteRef: { key: 'shared/smtp' } }] });

    const binding = await get('rbac.authorization.k8s.io/v1', 'RoleBinding', 'previewd-sync');
    expect(binding).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'previewd-preview-sync' },
      subjects: [{ kind: 'ServiceAccount', name: 'previewd-sync', namespace }],
    });
    expect(await get('v1', 'ServiceAccount', 'previewd-sync')).toMatchObject({ automountServiceAccountToken: false });
  });

  it('refuses, when the config is loaded, a secret asking for a key its store does not allow', () => {
    expect(() => testSettings({ secretStores: [{ name: 'previews', allowedRemoteKeys: ['ghcr-pull'] }], secrets: [{ name: 'root', store: 'previews', data: [{ secretKey: 'k', remoteKey: 'infra/root' }] }] })).toThrow(
      /"infra\/root" is not in the allowedRemoteKeys of store "previews"/,
    );
  });
});
