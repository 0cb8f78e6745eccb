import type { ObjectRef } from '../../src/kubernetes';

// REST paths of the kinds previewd touches. A fixed table instead of discovery: the set is
// small, discovery costs round trips, and an unexpected kind is a programming error.

interface ResourceInfo {
  readonly plural: string;
  readonly namespaced: boolean;
}

const RESOURCES: Record<string, ResourceInfo> = {
  'v1/Namespace': { plural: 'namespaces', namespaced: false },
  'v1/ConfigMap': { plural: 'configmaps', namespaced: true },
  'v1/Secret': { plural: 'secrets', namespaced: true },
  'v1/ResourceQuota': { plural: 'resourcequotas', namespaced: true },
  'v1/LimitRange': { plural: 'limitranges', namespaced: true },
  'v1/PersistentVolumeClaim': { plural: 'persistentvolumeclaims', namespaced: true },
  'v1/Service': { plural: 'services', namespaced: true },
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { plural: 'rolebindings', namespaced: true },
  'apps/v1/Deployment': { plural: 'deployments', namespaced: true },
  'apps/v1/StatefulSet': { plural: 'statefulsets', namespaced: true },
  'networking.k8s.io/v1/NetworkPolicy': { plural: 'networkpolicies', namespaced: true },
  'networking.k8s.io/v1/Ingress': { plural: 'ingresses', namespaced: true },
  'argoproj.io/v1alpha1/Application': { plural: 'applications', namespaced: true },
  'argoproj.io/v1alpha1/AppProject': { plural: 'appprojects', namespaced: true },
  'gateway.networking.k8s.io/v1/HTTPRoute': { plural: 'httproutes', namespaced: true },
  'external-secrets.io/v1/ExternalSecret': { plural: 'externalsecrets', namespaced: true },
};

function resourceInfo(apiVersion: string, kind: string): ResourceInfo {
  const info = RESOURCES[`${apiVersion}/${kind}`];
  if (!info) throw new Error(`previewd does not manage ${kind} (${apiVersion})`);
  return info;
}

/** `/api/v1/...` or `/apis/<group>/<version>/...`, with `namespaces/<ns>` when namespaced. */
export function collectionPath(apiVersion: string, kind: string, namespace?: string): string {
  const info = resourceInfo(apiVersion, kind);
  const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  if (!info.namespaced) return `${root}/${info.plural}`;
  if (!namespace) throw new Error(`${kind} is namespaced: a namespace is required`);
  return `${root}/namespaces/${encodeURIComponent(namespace)}/${info.plural}`;
}

export function objectPath(ref: ObjectRef): string {
  return `${collectionPath(ref.apiVersion, ref.kind, ref.namespace)}/${encodeURIComponent(ref.name)}`;
}
