import { parseClusterSettings } from '../../../src/config';

const minimal = { baseEnvironment: { name: 'dev', namespace: 'dev' }, domain: 'example.com' };

describe('cluster settings', () => {
  it('fills seed-000 defaults from a minimal config', () => {
    const s = parseClusterSettings(minimal);
    expect(s.namespacePrefix).toBe('pr');
    expect(s.argocd).toEqual({
      namespace: 'argocd',
      project: 'previews',
      destinationServer: 'https://kubernetes.default.svc',
      prunePropagationPolicy: 'foreground',
      syncRetry: { limit: 2, backoff: { duration: '5s', factor: 2, maxDuration: '30s' }, refresh: true },
    });
    expect(s.routes).toEqual({ kind: 'None' });
    expect(s.quota['requests.cpu']).toBe('4');
    expect(s.limits.defaultRequest).toEqual({ cpu: '100m', memory: '128Mi' });
    expect(s.timeouts.applicationDeletionMs).toBeGreaterThan(0);
  });

  it('defaults the gateway access label when routes use a Gateway', () => {
    const s = parseClusterSettings({ ...minimal, routes: { kind: 'HTTPRoute', gateway: { name: 'gw', namespace: 'gateway' } } });
    expect(s.routes.kind === 'HTTPRoute' && s.routes.accessLabel).toEqual({ key: 'gateway-access', value: 'allowed' });
  });

  it.each([
    [{ ...minimal, namespacePrefix: 'PR' }, 'namespacePrefix'],
    [{ ...minimal, domain: 'Example..com' }, 'domain'],
    [{ ...minimal, quota: { 'requests.cpu': 'lots' } }, 'quota.requests.cpu'],
    [{ ...minimal, argocd: { prunePropagationPolicy: 'sometimes' } }, 'argocd.prunePropagationPolicy'],
    [{ ...minimal, routes: { kind: 'HTTPRoute', gateway: { name: 'gw', namespace: 'Not_A_Namespace' } } }, 'routes.gateway.namespace'],
    [{ ...minimal, imagePullSecret: { remoteKey: 'ghcr' } }, 'imagePullSecret.clusterSecretStore'],
    [{ ...minimal, baseEnvironment: { name: 'dev', namespace: 'dev', label: 'not a label' } }, 'baseEnvironment.label'],
    [{ ...minimal, surprise: true }, '(root)'],
  ])('rejects invalid input naming the field (%#)', (input, field) => {
    expect(() => parseClusterSettings(input)).toThrow(new RegExp(`${field.replace(/[.()]/g, '\\$&')}: `));
  });
});
