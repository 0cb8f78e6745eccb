import { describeUnhealthy, healthCauses, type KubeObject } from '../../../src/kubernetes';

// Argo CD 3.x names the resources behind an Application's health ("Caused by …"); the reason is
// in those objects' conditions.

describe('healthCauses', () => {
  it('reads the resources Argo CD names, in the preview namespace only', () => {
    const message = 'Caused by apps/Deployment:pr-web-7/api, Service:pr-web-7/web, gateway.networking.k8s.io/HTTPRoute:pr-web-7/www and 2 more';
    expect(healthCauses(message, 'pr-web-7')).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'pr-web-7', name: 'api' },
      { apiVersion: 'v1', kind: 'Service', namespace: 'pr-web-7', name: 'web' },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', namespace: 'pr-web-7', name: 'www' },
    ]);
  });

  it('leaves out other namespaces, unknown groups and messages that name nothing', () => {
    expect(healthCauses('Caused by apps/Deployment:kube-system/coredns', 'pr-web-7')).toEqual([]);
    expect(healthCauses('Caused by example.com/Widget:pr-web-7/w', 'pr-web-7')).toEqual([]);
    expect(healthCauses('Back-off restarting failed container', 'pr-web-7')).toEqual([]);
    expect(healthCauses(undefined, 'pr-web-7')).toEqual([]);
  });
});

describe('describeUnhealthy', () => {
  const deployment = (conditions: unknown[]): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, status: { conditions } });

  it('gives the reason and message of the conditions that are bad', () => {
    const stuck = deployment([
      { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
      { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "api-5d4" has timed out progressing.' },
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota' },
    ]);
    expect(describeUnhealthy(stuck)).toBe(
      'Deployment/api: MinimumReplicasUnavailable: Deployment does not have minimum availability.; ProgressDeadlineExceeded: ReplicaSet "api-5d4" has timed out progressing.; FailedCreate: exceeded quota',
    );
  });

  it('reads Gateway API route conditions per parent, and says nothing when all is well', () => {
    const route: KubeObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'www' }, status: { parents: [{ conditions: [{ type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners', message: '' }] }] } };
    expect(describeUnhealthy(route)).toBe('HTTPRoute/www: NotAllowedByListeners');
    expect(describeUnhealthy(deployment([{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }]))).toBeUndefined();
    expect(describeUnhealthy(deployment([]))).toBeUndefined();
  });
});
