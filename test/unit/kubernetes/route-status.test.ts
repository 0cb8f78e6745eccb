import { routeAcceptance, type KubeObject } from '../../../src/kubernetes';
import { settings } from './fixtures';

const gatewayParent = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'gateway-system', sectionName: 'https' };
const condition = (type: string, status = 'True', observedGeneration = 2, reason = type, message = '') => ({ type, status, reason, message, observedGeneration });

function route(parents: unknown[], generation = 2): KubeObject {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'www', namespace: 'pr-shop-503', generation }, status: { parents } };
}

describe('routeAcceptance (HTTPRoute)', () => {
  const s = settings();

  it('is accepted when the configured Gateway says Accepted and ResolvedRefs for the current generation', () => {
    expect(routeAcceptance(s, route([{ parentRef: gatewayParent, conditions: [condition('Accepted'), condition('ResolvedRefs')] }]))).toEqual({ accepted: true });
  });

  it('takes Gateway API defaults for group, kind and namespace of the parentRef', () => {
    const terse = { name: 'shared', sectionName: 'https', namespace: 'gateway-system' };
    expect(routeAcceptance(s, route([{ parentRef: terse, conditions: [condition('Accepted'), condition('ResolvedRefs')] }])).accepted).toBe(true);
  });

  it.each([
    ['no status yet', [], /Gateway gateway-system\/shared \(https\) has not reported on HTTPRoute www yet/],
    ['only another Gateway reported', [{ parentRef: { ...gatewayParent, name: 'other' }, conditions: [condition('Accepted'), condition('ResolvedRefs')] }], /has not reported/],
    ['another listener reported', [{ parentRef: { ...gatewayParent, sectionName: 'http' }, conditions: [condition('Accepted'), condition('ResolvedRefs')] }], /has not reported/],
    [
      'the Gateway refused it',
      [{ parentRef: gatewayParent, conditions: [condition('Accepted', 'False', 2, 'NotAllowedByListeners', 'namespace not allowed'), condition('ResolvedRefs')] }],
      /has not accepted HTTPRoute www: Accepted=False \(NotAllowedByListeners: namespace not allowed\)/,
    ],
    ['its backend is missing', [{ parentRef: gatewayParent, conditions: [condition('Accepted'), condition('ResolvedRefs', 'False', 2, 'BackendNotFound')] }], /ResolvedRefs=False \(BackendNotFound\)/],
    ['ResolvedRefs not reported', [{ parentRef: gatewayParent, conditions: [condition('Accepted')] }], /no ResolvedRefs condition yet/],
    ['the status is for an older spec', [{ parentRef: gatewayParent, conditions: [condition('Accepted', 'True', 1), condition('ResolvedRefs', 'True', 1)] }], /Accepted describes generation 1, the route is at 2/],
  ])('is not accepted when %s', (_what, parents, message) => {
    const result = routeAcceptance(s, route(parents));
    expect(result.accepted).toBe(false);
    expect(result.message).toMatch(message);
  });
});

describe('routeAcceptance (Ingress)', () => {
  const s = settings({ routes: { kind: 'Ingress' } });
  const ingress = (status: unknown): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'www' }, status });

  it('is accepted once the controller publishes an address', () => {
    expect(routeAcceptance(s, ingress({ loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } }))).toEqual({ accepted: true });
    expect(routeAcceptance(s, ingress({ loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } }))).toEqual({ accepted: true });
  });

  it('is not accepted while status.loadBalancer is empty', () => {
    expect(routeAcceptance(s, ingress({ loadBalancer: {} }))).toMatchObject({ accepted: false, message: expect.stringContaining('status.loadBalancer is empty') as unknown });
  });
});
