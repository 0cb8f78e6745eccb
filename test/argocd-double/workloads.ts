import type { KubeObject } from '../../src/kubernetes';

// What "the chart" of a service renders in the test cluster. Argo CD would render it from Git;
// the double builds it from the Application so tests control the resource requests exactly.

export const TRACKING_LABEL = 'app.kubernetes.io/instance';

export interface WorkloadShape {
  readonly replicas?: number;
  readonly cpu?: string;
  readonly memory?: string;
  /** Adds a StatefulSet and its PVC of this size. */
  readonly storage?: string;
}

function image(app: KubeObject): string {
  return Object.entries(app.metadata.annotations ?? {}).find(([k]) => k.endsWith('/image'))?.[1] ?? 'registry.invalid/app:latest';
}

function podTemplate(name: string, app: KubeObject, shape: WorkloadShape) {
  return {
    metadata: { labels: { app: name } },
    spec: {
      containers: [{ name, image: image(app), resources: { requests: { cpu: shape.cpu ?? '100m', memory: shape.memory ?? '128Mi' } } }],
    },
  };
}

/** A Deployment named after the service, plus a StatefulSet and PVC when `storage` is set. */
export function workloadsFor(app: KubeObject, service: string, shape: WorkloadShape = {}): KubeObject[] {
  const namespace = (app.spec as { destination: { namespace: string } }).destination.namespace;
  const labels = { [TRACKING_LABEL]: app.metadata.name };
  const objects: KubeObject[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: service, namespace, labels },
      spec: { replicas: shape.replicas ?? 1, selector: { matchLabels: { app: service } }, template: podTemplate(service, app, shape) },
    },
  ];
  if (shape.storage) {
    const db = `${service}-db`;
    objects.push(
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: db, namespace, labels },
        spec: { replicas: 1, serviceName: db, selector: { matchLabels: { app: db } }, template: podTemplate(db, app, shape) },
      },
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: `data-${db}-0`, namespace, labels },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: shape.storage } } },
      },
    );
  }
  return objects;
}
