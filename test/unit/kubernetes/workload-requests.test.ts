import { parseQuantity, podRequest, totalRequests, workloadRequests, type KubeObject } from '../../../src/kubernetes';

describe('parseQuantity', () => {
  it.each([
    ['100m', 0.1],
    ['2', 2],
    ['1.5', 1.5],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['500k', 5e5],
    ['1e3', 1000],
    ['250u', 250e-6],
    ['.5', 0.5],
  ])('%s = %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 9);
  });

  it('rejects what is not a quantity', () => {
    expect(() => parseQuantity('lots')).toThrow(/quantity/);
    expect(() => parseQuantity('1 Gi')).toThrow(/quantity/);
  });
});

const container = (cpu: string, memory: string, extra: Record<string, unknown> = {}) => ({ resources: { requests: { cpu, memory } }, ...extra });

describe('podRequest', () => {
  it('sums app containers and sidecars, or takes the largest plain init container if bigger', () => {
    expect(podRequest({ containers: [container('100m', '1Mi'), container('200m', '1Mi')] }, 'cpu')).toBeCloseTo(0.3);
    expect(podRequest({ containers: [container('100m', '1Mi')], initContainers: [container('1', '1Mi')] }, 'cpu')).toBe(1);
    expect(podRequest({ containers: [container('100m', '1Mi')], initContainers: [container('50m', '1Mi', { restartPolicy: 'Always' })] }, 'cpu')).toBeCloseTo(0.15);
    expect(podRequest({ containers: [{}] }, 'cpu')).toBe(0);
  });
});

describe('workloadRequests', () => {
  const deploy = (name: string, replicas: number | undefined, kind = 'Deployment'): KubeObject => ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name },
    spec: { replicas, template: { spec: { containers: [container('250m', '256Mi')] } } },
  });
  const claim: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { resources: { requests: { storage: '10Gi' } } } };

  it('multiplies pod requests by replicas and adds PVC storage', () => {
    const workloads = workloadRequests({ deployments: [deploy('web', 3), deploy('api', undefined)], statefulSets: [deploy('db', 2, 'StatefulSet')], claims: [claim] });
    expect(workloads.map((w) => [w.kind, w.name, w.replicas])).toEqual([
      ['Deployment', 'web', 3],
      ['Deployment', 'api', 1],
      ['StatefulSet', 'db', 2],
      ['PersistentVolumeClaim', 'data', 1],
    ]);
    const totals = totalRequests(workloads);
    expect(totals.cpuCores).toBeCloseTo(0.25 * 6);
    expect(totals.memoryBytes).toBe(256 * 2 ** 20 * 6);
    expect(totals.storageBytes).toBe(10 * 2 ** 30);
  });

  it('counts a Deployment scaled to zero as nothing', () => {
    expect(totalRequests(workloadRequests({ deployments: [deploy('off', 0)], statefulSets: [], claims: [] })).cpuCores).toBe(0);
  });
});
