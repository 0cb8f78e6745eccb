import type { PreviewRef } from '../../workflows/contract';
import { DNS_LABEL, type ClusterSettings } from '../config/cluster';
import type { ServiceConfig } from '../config/repository';
import type { KubeObject, ObjectMeta } from './objects';
import { assertPrNumber, namespaceNameFor, ownershipLabels, previewKeys } from './namespace';

// Routes to exposed services: hostnames, and Gateway API HTTPRoutes or Ingresses.

/**
 * `<svc>-pr-<n>.<env>.<domain>` (seed 000 "Preview URL scheme"): one label under the
 * environment zone, so the existing `*.<env>.<domain>` wildcard certificate and DNS cover it.
 * Never `<svc>.pr<n>.<domain>`, which would need a two-level wildcard.
 */
export function routeHostname(settings: Pick<ClusterSettings, 'baseEnvironment' | 'domain'>, service: string, prNumber: number): string {
  assertPrNumber(prNumber);
  const first = `${service}-pr-${prNumber}`;
  if (first.length > 63 || !DNS_LABEL.test(first)) {
    throw new Error(`hostname label ${JSON.stringify(first)} is not a DNS-1123 label of at most 63 characters`);
  }
  const host = `${first}.${settings.baseEnvironment.name}.${settings.domain}`;
  if (host.length > 253) throw new Error(`hostname ${host} is longer than 253 characters`);
  return host;
}

export function routeUrl(settings: Pick<ClusterSettings, 'baseEnvironment' | 'domain'>, service: string, prNumber: number): string {
  return `https://${routeHostname(settings, service, prNumber)}`;
}

type GatewayRoutes = Extract<ClusterSettings['routes'], { kind: 'HTTPRoute' }>;

export interface RouteTarget {
  readonly service: string;
  readonly port: number;
  readonly hostname: string;
  readonly namespace: string;
}

/** A route of either kind is named after its service and carries the preview's labels and the service's. */
function routeMetadata(settings: ClusterSettings, preview: PreviewRef, target: RouteTarget): ObjectMeta {
  return {
    name: target.service,
    namespace: target.namespace,
    labels: { ...ownershipLabels(settings, preview), [previewKeys(settings).service]: target.service },
  };
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
    metadata: routeMetadata(settings, preview, target),
    spec: {
      parentRefs: [parentRef],
      hostnames: [target.hostname],
      rules: [{ backendRefs: [{ group: '', kind: 'Service', name: target.service, port: target.port }] }],
    },
  };
}

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
    metadata: routeMetadata(settings, preview, target),
    spec,
  };
}

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
