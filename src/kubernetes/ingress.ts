import type { ClusterSettings } from './cluster-settings';
import type { RouteTarget } from './http-route';
import type { KubeObject } from './kube-object';
import { ownershipLabels, previewKeys } from './labels';
import type { PreviewRef } from './preview-ref';

type IngressRoutes = Extract<ClusterSettings['routes'], { kind: 'Ingress' }>;

/** The same route as an Ingress, for clusters without Gateway API. */
export function buildIngress(settings: ClusterSettings, routes: IngressRoutes, preview: PreviewRef, target: RouteTarget): KubeObject {
  const spec: Record<string, unknown> = {
    rules: [
      {
        host: target.hostname,
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: target.service, port: { number: target.port } } } }] },
      },
    ],
  };
  if (routes.className) spec.ingressClassName = routes.className;
  if (routes.tlsSecretName) spec.tls = [{ hosts: [target.hostname], secretName: routes.tlsSecretName }];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: target.service,
      namespace: target.namespace,
      labels: { ...ownershipLabels(settings, preview), [previewKeys(settings).service]: target.service },
    },
    spec,
  };
}
