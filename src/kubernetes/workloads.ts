import type { KubeObject } from './objects';

// resource.Quantity in numbers: CPU in cores, memory and storage in bytes. Cost maths needs
// plain numbers; the API server has already validated the syntax of what it stored.

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

export function parseQuantity(text: string | number): number {
  if (typeof text === 'number') return text;
  const match = QUANTITY.exec(text.trim());
  if (!match) throw new Error(`not a Kubernetes quantity: ${JSON.stringify(text)}`);
  const [, number, exponent, suffix] = match;
  if (exponent) return Number(`${number}${exponent}`);
  return Number(number) * (SUFFIX[suffix ?? ''] ?? 1);
}

// What a preview reserves, for cost: requests of Deployments and StatefulSets (per pod ×
// replicas) and PVC storage. Requests, not usage: requests are what the cluster sets aside.
// StatefulSet volumeClaimTemplates are not counted; their PVCs exist and are counted as PVCs.

export interface WorkloadRequest {
  readonly kind: 'Deployment' | 'StatefulSet' | 'PersistentVolumeClaim';
  readonly name: string;
  readonly replicas: number;
  /** Totals over all replicas. */
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly storageBytes: number;
}

export interface WorkloadTotals {
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly storageBytes: number;
}

interface Container {
  resources?: { requests?: Record<string, string> };
  restartPolicy?: string;
}

interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
}

function request(container: Container, resource: string): number {
  const value = container.resources?.requests?.[resource];
  return value === undefined ? 0 : parseQuantity(value);
}

/**
 * The pod's effective request, as the scheduler computes it: app containers plus restartable
 * (sidecar) init containers, or the largest plain init container if that is bigger.
 */
export function podRequest(spec: PodSpec, resource: string): number {
  const init = spec.initContainers ?? [];
  const sidecars = init.filter((c) => c.restartPolicy === 'Always');
  const running = [...(spec.containers ?? []), ...sidecars].reduce((sum, c) => sum + request(c, resource), 0);
  const largestInit = init.filter((c) => c.restartPolicy !== 'Always').reduce((max, c) => Math.max(max, request(c, resource)), 0);
  return Math.max(running, largestInit);
}

function controllerRequest(obj: KubeObject, kind: 'Deployment' | 'StatefulSet'): WorkloadRequest {
  const spec = (obj.spec ?? {}) as { replicas?: number; template?: { spec?: PodSpec } };
  const replicas = spec.replicas ?? 1;
  const pod = spec.template?.spec ?? {};
  return {
    kind,
    name: obj.metadata.name,
    replicas,
    cpuCores: podRequest(pod, 'cpu') * replicas,
    memoryBytes: podRequest(pod, 'memory') * replicas,
    storageBytes: 0,
  };
}

function claimRequest(obj: KubeObject): WorkloadRequest {
  const storage = (obj.spec as { resources?: { requests?: { storage?: string } } } | undefined)?.resources?.requests?.storage;
  return { kind: 'PersistentVolumeClaim', name: obj.metadata.name, replicas: 1, cpuCores: 0, memoryBytes: 0, storageBytes: storage ? parseQuantity(storage) : 0 };
}

export function workloadRequests(objects: { deployments: KubeObject[]; statefulSets: KubeObject[]; claims: KubeObject[] }): WorkloadRequest[] {
  return [
    ...objects.deployments.map((d) => controllerRequest(d, 'Deployment')),
    ...objects.statefulSets.map((s) => controllerRequest(s, 'StatefulSet')),
    ...objects.claims.map(claimRequest),
  ];
}

export function totalRequests(workloads: readonly WorkloadRequest[]): WorkloadTotals {
  return workloads.reduce(
    (t, w) => ({ cpuCores: t.cpuCores + w.cpuCores, memoryBytes: t.memoryBytes + w.memoryBytes, storageBytes: t.storageBytes + w.storageBytes }),
    { cpuCores: 0, memoryBytes: 0, storageBytes: 0 },
  );
}
