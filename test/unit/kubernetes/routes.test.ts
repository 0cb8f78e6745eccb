import { buildRoutes, routeHostname, routeKind } from '../../../src/kubernetes';
import { preview, service, settings } from './fixtures';

describe('routeHostname', () => {
  it('is <svc>-pr-<n>.<env>.<domain>, one label under the environment zone', () => {
    expect(routeHostname(settings(), 'www', 503)).toBe('www-pr-503.dev.acme.io');
  });

  it('fits the largest service name and PR number into one DNS label', () => {
    const host = routeHostname(settings(), 's'.repeat(40), Number.MAX_SAFE_INTEGER);
    expect(host.split('.')[0]?.length).toBeLessThanOrEqual(63);
  });

  it('rejects labels that are not DNS-1123', () => {
    expect(() => routeHostname(settings(), 'Www', 1)).toThrow(/DNS-1123/);
    expect(() => routeHostname(settings(), 's'.repeat(60), 1)).toThrow(/63/);
    expect(() => routeHostname(settings(), 'www', -1)).toThrow(/PR number/);
  });
});

describe('buildRoutes', () => {
  const services = [service(), service({ name: 'worker', expose: undefined })];

  it('builds an HTTPRoute attached to the base-environment Gateway for exposed services only', () => {
    const routes = buildRoutes(settings(), preview, services);
    expect(routes.map((r) => r.service)).toEqual(['www']);
    expect(routes[0]?.url).toBe('https://www-pr-503.dev.acme.io');
    expect(routes[0]?.object).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        name: 'www',
        namespace: 'pr-shop-503',
        labels: { 'app.kubernetes.io/managed-by': 'previewd', 'acme.io/pr': '503', 'acme.io/repo': 'shop', 'acme.io/service': 'www' },
      },
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'gateway-system', sectionName: 'https' }],
        hostnames: ['www-pr-503.dev.acme.io'],
        rules: [{ backendRefs: [{ group: '', kind: 'Service', name: 'www', port: 8080 }] }],
      },
    });
  });

  it('builds an Ingress when the cluster has no Gateway API', () => {
    const s = settings({ routes: { kind: 'Ingress', className: 'nginx', tlsSecretName: 'wildcard-dev' } });
    const [route] = buildRoutes(s, preview, services);
    expect(route?.object).toMatchObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'www', namespace: 'pr-shop-503' },
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['www-pr-503.dev.acme.io'], secretName: 'wildcard-dev' }],
        rules: [{ host: 'www-pr-503.dev.acme.io', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'www', port: { number: 8080 } } } }] } }],
      },
    });
    expect(routeKind(s)).toEqual({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' });
  });

  it('reports URLs but builds no object when routes are off', () => {
    const s = settings({ routes: { kind: 'None' } });
    expect(buildRoutes(s, preview, services)).toEqual([{ service: 'www', url: 'https://www-pr-503.dev.acme.io' }]);
    expect(routeKind(s)).toBeUndefined();
  });
});
