import { buildBaseline, LIMIT_RANGE_NAME, NETWORK_POLICY_NAME, RESOURCE_QUOTA_NAME, type KubeObject } from '../../../src/kubernetes';
import { preview, settings } from './fixtures';

const byKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);

describe('buildBaseline', () => {
  const pullSecret = { clusterSecretStore: 'previews-vault', remoteKey: 'ghcr-pull', secretName: 'ghcr-pull' };
  const bindings = [{ name: 'base-env', entries: { DATABASE_HOST: { service: 'postgres' }, BROKER: { service: 'kafka', namespace: 'data', port: 9092 } } }];

  it('puts every object into the preview namespace with ownership labels', () => {
    const objects = buildBaseline(settings({ imagePullSecret: pullSecret, bindings }), preview);
    expect(objects.map((o) => o.kind)).toEqual(['NetworkPolicy', 'ResourceQuota', 'LimitRange', 'ExternalSecret', 'ConfigMap']);
    for (const o of objects) {
      expect(o.metadata.namespace).toBe('pr-shop-503');
      expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'previewd', 'acme.io/pr': '503', 'acme.io/repo': 'shop' });
    }
  });

  it('omits the optional secret and bindings when not configured', () => {
    expect(buildBaseline(settings(), preview).map((o) => o.kind)).toEqual(['NetworkPolicy', 'ResourceQuota', 'LimitRange']);
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
