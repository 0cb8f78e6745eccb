import { buildBaseline, EGRESS_POLICY_NAME, LIMIT_RANGE_NAME, NETWORK_POLICY_NAME, RESOURCE_QUOTA_NAME, type KubeObject } from '../../../src/kubernetes';
import { preview, settings } from './fixtures';

const byKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);

describe('buildBaseline', () => {
  const pullSecret = { clusterSecretStore: 'previews-vault', remoteKey: 'ghcr-pull', secretName: 'ghcr-pull' };
  const bindings = [{ name: 'base-env', entries: { DATABASE_HOST: { service: 'postgres' }, BROKER: { service: 'kafka', namespace: 'data', port: 9092 } } }];

  it('puts every object into the preview namespace with ownership labels', () => {
    const objects = buildBaseline(settings({ imagePullSecret: pullSecret, bindings }), preview);
    expect(objects.map((o) => o.kind)).toEqual(['NetworkPolicy', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'ExternalSecret', 'ConfigMap']);
    for (const o of objects) {
      expect(o.metadata.namespace).toBe('pr-shop-503');
      expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'previewd', 'acme.io/pr': '503', 'acme.io/repo': 'shop' });
    }
  });

  it('omits the optional secret and bindings when not configured', () => {
    expect(buildBaseline(settings(), preview).map((o) => o.kind)).toEqual(['NetworkPolicy', 'NetworkPolicy', 'ResourceQuota', 'LimitRange']);
    expect(buildBaseline(settings({ egress: { enabled: false } }), preview).map((o) => o.metadata.name)).toEqual([NETWORK_POLICY_NAME, RESOURCE_QUOTA_NAME, LIMIT_RANGE_NAME]);
  });

  it('denies ingress except from the namespace itself, the gateway namespace and the base environment', () => {
    const [np] = byKind(buildBaseline(settings(), preview), 'NetworkPolicy');
    expect(np?.metadata.name).toBe(NETWORK_POLICY_NAME);
    expect(np?.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ podSelector: {} }] },
        { from: [{ namespaceSelector: { matchLabels: { 'acme.io/environment': 'dev' } } }] },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } } }] },
      ],
    });
  });

  it('never has an ingress rule without peers (that would allow everyone)', () => {
    for (const routes of [{ kind: 'None' as const }, { kind: 'Ingress' as const }, { kind: 'Ingress' as const, controllerNamespace: 'ingress-nginx' }]) {
      const [np] = byKind(buildBaseline(settings({ routes }), preview), 'NetworkPolicy');
      const rules = (np?.spec as { ingress: { from?: unknown[] }[] }).ingress;
      for (const rule of rules) expect(rule.from?.length).toBeGreaterThan(0);
    }
  });

  it('lets the ingress controller namespace in when routes are Ingresses', () => {
    const [np] = byKind(buildBaseline(settings({ routes: { kind: 'Ingress', controllerNamespace: 'ingress-nginx' } }), preview), 'NetworkPolicy');
    expect(JSON.stringify(np?.spec)).toContain('"kubernetes.io/metadata.name":"ingress-nginx"');
  });

  describe('egress', () => {
    const egressOf = (objects: KubeObject[]) => objects.find((o) => o.metadata.name === EGRESS_POLICY_NAME);

    it('allows the namespace itself, the base environment by name, and the cluster DNS on UDP and TCP 53, nothing else', () => {
      expect(egressOf(buildBaseline(settings(), preview))?.spec).toEqual({
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          { to: [{ podSelector: {} }] },
          { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } } }] },
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      });
    });

    it('never selects peers by the environment label, which other previews carry too', () => {
      expect(JSON.stringify(egressOf(buildBaseline(settings({ bindings }), preview)))).not.toContain('acme.io/environment');
    });

    it('adds the namespaces bindings point at, configured namespaces and address ranges', () => {
      const spec = egressOf(
        buildBaseline(settings({ bindings, egress: { namespaces: ['observability'], cidrs: [{ cidr: '10.20.0.0/16', except: ['10.20.9.0/24'] }, { cidr: '2001:db8::/32' }], dns: { namespace: 'dns', podLabels: { app: 'coredns' } } } }), preview),
      )?.spec as { egress: { to: unknown[]; ports?: unknown[] }[] };
      expect(spec.egress[1]?.to).toEqual(['data', 'dev', 'observability'].map((name) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } })));
      expect(spec.egress[2]?.to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } }]);
      expect(spec.egress[3]).toEqual({ to: [{ ipBlock: { cidr: '10.20.0.0/16', except: ['10.20.9.0/24'] } }, { ipBlock: { cidr: '2001:db8::/32' } }] });
    });
  });

  describe('runtime secrets', () => {
    const stores = [{ name: 'previews-vault', allowedRemoteKeys: ['previews/dev/app', 'previews/dev/{namespace}/db'] }];
    const secrets = [
      {
        name: 'app-runtime',
        store: 'previews-vault',
        data: [
          { secretKey: 'API_TOKEN', remoteKey: 'previews/dev/app', property: 'token' },
          { secretKey: 'DATABASE_URL', remoteKey: 'previews/dev/{namespace}/db' },
        ],
      },
    ];

    it('renders one ExternalSecret per secret from its ClusterSecretStore, {namespace} expanded to the preview namespace', () => {
      const [es] = byKind(buildBaseline(settings({ secretStores: stores, secrets }), preview), 'ExternalSecret');
      expect(es).toEqual({
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'app-runtime', namespace: 'pr-shop-503', labels: expect.objectContaining({ 'app.kubernetes.io/managed-by': 'previewd' }) as unknown },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'previews-vault' },
          target: { name: 'app-runtime', creationPolicy: 'Owner' },
          data: [
            { secretKey: 'API_TOKEN', remoteRef: { key: 'previews/dev/app', property: 'token' } },
            { secretKey: 'DATABASE_URL', remoteRef: { key: 'previews/dev/pr-shop-503/db' } },
          ],
        },
      });
    });

    it('refuses, when the config is read, a key that is not on the store\'s allow-list, an unknown store and a clashing name', () => {
      expect(() => settings({ secretStores: stores, secrets: [{ ...secrets[0]!, data: [{ secretKey: 'ROOT', remoteKey: 'infra/root' }] }] })).toThrow(
        /secrets\.0\.data\.0\.remoteKey: "infra\/root" is not in the allowedRemoteKeys of store "previews-vault"/,
      );
      expect(() => settings({ secretStores: stores, secrets: [{ ...secrets[0]!, store: 'prod-vault' }] })).toThrow(/secrets\.0\.store: "prod-vault" is not one of secretStores/);
      expect(() => settings({ secretStores: stores, secrets, imagePullSecret: { ...pullSecret, secretName: 'app-runtime' } })).toThrow(/secrets\.0\.name: secret "app-runtime" is already defined/);
      expect(() => settings({ secretStores: stores, imagePullSecret: pullSecret })).toThrow(/imagePullSecret\.remoteKey: "ghcr-pull" is not in the allowedRemoteKeys/);
      expect(() => settings({ secretStores: [{ name: 'previews-vault', allowedRemoteKeys: ['previews/{pr}/x'] }] })).toThrow(/only placeholder a remote key may hold is \{namespace\}/);
    });
  });

  describe('sync identity', () => {
    it('is absent unless configured', () => {
      expect(byKind(buildBaseline(settings(), preview), 'RoleBinding')).toEqual([]);
    });

    it('binds the configured ClusterRole to a ServiceAccount of the preview namespace, in that namespace only', () => {
      const objects = buildBaseline(settings({ argocd: { syncServiceAccount: {} } }), preview);
      expect(byKind(objects, 'ServiceAccount')).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ name: 'previewd-sync', namespace: 'pr-shop-503' }) as unknown, automountServiceAccountToken: false })]);
      expect(byKind(objects, 'RoleBinding')[0]).toMatchObject({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        metadata: { name: 'previewd-sync', namespace: 'pr-shop-503' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'previewd-preview-sync' },
        subjects: [{ kind: 'ServiceAccount', name: 'previewd-sync', namespace: 'pr-shop-503' }],
      });
      // Before anything Argo CD syncs can need it, after the isolation.
      expect(objects.map((o) => o.kind).indexOf('RoleBinding')).toBeLessThan(objects.map((o) => o.kind).indexOf('ConfigMap') >>> 0);
    });
  });

  it('sets quota and container defaults from settings', () => {
    const objects = buildBaseline(settings({ quota: { 'requests.cpu': '2', pods: '10' }, limits: { default: { cpu: '1' }, defaultRequest: { cpu: '250m' }, max: { memory: '2Gi' } } }), preview);
    expect(byKind(objects, 'ResourceQuota')[0]).toMatchObject({ metadata: { name: RESOURCE_QUOTA_NAME }, spec: { hard: { 'requests.cpu': '2', pods: '10' } } });
    expect(byKind(objects, 'LimitRange')[0]).toMatchObject({
      metadata: { name: LIMIT_RANGE_NAME },
      spec: { limits: [{ type: 'Container', default: { cpu: '1' }, defaultRequest: { cpu: '250m' }, max: { memory: '2Gi' } }] },
    });
  });

  it('pulls the image-pull secret through a ClusterSecretStore', () => {
    const [es] = byKind(buildBaseline(settings({ imagePullSecret: { ...pullSecret, remoteProperty: 'dockerconfig' } }), preview), 'ExternalSecret');
    expect(es).toMatchObject({
      apiVersion: 'external-secrets.io/v1',
      metadata: { name: 'ghcr-pull' },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'previews-vault' },
        target: { name: 'ghcr-pull', creationPolicy: 'Owner', template: { type: 'kubernetes.io/dockerconfigjson' } },
        data: [{ secretKey: '.dockerconfigjson', remoteRef: { key: 'ghcr-pull', property: 'dockerconfig' } }],
      },
    });
  });

  it('binds base-environment service FQDNs', () => {
    const [cm] = byKind(buildBaseline(settings({ bindings }), preview), 'ConfigMap');
    expect(cm).toMatchObject({
      metadata: { name: 'base-env' },
      data: { DATABASE_HOST: 'postgres.dev.svc.cluster.local', BROKER: 'kafka.data.svc.cluster.local:9092' },
    });
  });
});
