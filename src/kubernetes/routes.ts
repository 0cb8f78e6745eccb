import type { ServiceConfig } from '../config';
import type { ClusterSettings } from './cluster-settings';
import { buildHttpRoute } from './http-route';
import { buildIngress } from './ingress';
import type { KubeObject } from './kube-object';
import { namespaceNameFor } from './namespace';
import type { PreviewRef } from './preview-ref';
import { routeHostname, routeUrl } from './route-hostname';

export interface ServiceRoute {
  readonly service: string;
  readonly url: string;
  /** Absent when the cluster has no route kind configured (URL is then informational). */
  readonly object?: KubeObject;
}

/** apiVersion and kind of the configured route objects, for listing and deleting them. */
export function routeKind(settings: ClusterSettings): { apiVersion: string; kind: string } | undefined {
  if (settings.routes.kind === 'HTTPRoute') return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' };
  if (settings.routes.kind === 'Ingress') return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' };
  return undefined;
}

/** One route per exposed service, in the configured kind. Unexposed services get none. */
export function buildRoutes(settings: ClusterSettings, preview: PreviewRef, services: readonly ServiceConfig[]): ServiceRoute[] {
  const namespace = namespaceNameFor(settings, preview);
  const routes = settings.routes;
  return services.flatMap((svc): ServiceRoute[] => {
    if (!svc.expose) return [];
    const target = { service: svc.name, port: svc.expose.port, hostname: routeHostname(settings, svc.name, preview.prNumber), namespace };
    const url = routeUrl(settings, svc.name, preview.prNumber);
    if (routes.kind === 'HTTPRoute') return [{ service: svc.name, url, object: buildHttpRoute(settings, routes, preview, target) }];
    if (routes.kind === 'Ingress') return [{ service: svc.name, url, object: buildIngress(settings, routes, preview, target) }];
    return [{ service: svc.name, url }];
  });
}
