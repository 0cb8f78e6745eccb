import type { ClusterSettings } from './cluster-settings';
import type { KubeObject } from './kube-object';
import { ownershipLabels, previewKeys } from './labels';
import type { PreviewRef } from './preview-ref';

type GatewayRoutes = Extract<ClusterSettings['routes'], { kind: 'HTTPRoute' }>;

export interface RouteTarget {
  readonly service: string;
  readonly port: number;
  readonly hostname: string;
  readonly namespace: string;
}

/**
 * An HTTPRoute in the preview namespace attached to the base-environment Gateway through
 * `parentRefs.namespace`; the Gateway admits it by the namespace's access label. The backend
 * is the Service named after the service (the Application's Helm release name).
 */
export function buildHttpRoute(settings: ClusterSettings, routes: GatewayRoutes, preview: PreviewRef, target: RouteTarget): KubeObject {
  const parentRef: Record<string, unknown> = {
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    name: routes.gateway.name,
    namespace: routes.gateway.namespace,
  };
  if (routes.gateway.sectionName) parentRef.sectionName = routes.gateway.sectionName;
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name: target.service,
      namespace: target.namespace,
      labels: { ...ownershipLabels(settings, preview), [previewKeys(settings).service]: target.service },
    },
    spec: {
      parentRefs: [parentRef],
      hostnames: [target.hostname],
      rules: [{ backendRefs: [{ group: '', kind: 'Service', name: target.service, port: target.port }] }],
    },
  };
}
