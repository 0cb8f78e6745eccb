import type { ClusterSettings } from '../config/cluster';
import type { KubeObject } from './objects';

// Whether the Gateway (or the ingress controller) has taken a route: previewd reports a URL only
// then. An HTTPRoute is accepted when the status entry of the configured parent Gateway says
// Accepted=True and ResolvedRefs=True for the route's current generation (a status written for
// an older spec says nothing about this one). An Ingress has no conditions; its controller
// publishes an address in status.loadBalancer once it serves the rules.

export interface RouteAcceptance {
  readonly accepted: boolean;
  /** Why not (yet), in words a PR author or operator can act on. */
  readonly message?: string;
}

interface ParentRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  sectionName?: string;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

interface RouteParentStatus {
  parentRef?: ParentRef;
  conditions?: Condition[];
}

type GatewayRoutes = Extract<ClusterSettings['routes'], { kind: 'HTTPRoute' }>;

/** Gateway API defaults: group gateway.networking.k8s.io, kind Gateway, namespace of the route. */
function isConfiguredParent(ref: ParentRef | undefined, routes: GatewayRoutes, routeNamespace: string | undefined): boolean {
  if (!ref) return false;
  const gw = routes.gateway;
  return (
    (ref.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io' &&
    (ref.kind ?? 'Gateway') === 'Gateway' &&
    ref.name === gw.name &&
    (ref.namespace ?? routeNamespace) === gw.namespace &&
    (ref.sectionName ?? undefined) === gw.sectionName
  );
}

function conditionProblem(conditions: readonly Condition[], type: string, generation: number | undefined): string | undefined {
  const c = conditions.find((x) => x.type === type);
  if (!c) return `no ${type} condition yet`;
  if (generation !== undefined && c.observedGeneration !== undefined && c.observedGeneration < generation) {
    return `${type} describes generation ${c.observedGeneration}, the route is at ${generation}`;
  }
  if (c.status !== 'True') return `${type}=${c.status ?? 'Unknown'} (${c.reason ?? 'no reason'}${c.message ? `: ${c.message}` : ''})`;
  return undefined;
}

export function httpRouteAcceptance(routes: GatewayRoutes, route: KubeObject): RouteAcceptance {
  const gateway = `${routes.gateway.namespace}/${routes.gateway.name}${routes.gateway.sectionName ? ` (${routes.gateway.sectionName})` : ''}`;
  const parents = ((route.status as { parents?: RouteParentStatus[] } | undefined)?.parents ?? []).filter((p) => isConfiguredParent(p.parentRef, routes, route.metadata.namespace));
  if (parents.length === 0) return { accepted: false, message: `Gateway ${gateway} has not reported on HTTPRoute ${route.metadata.name} yet` };
  const generation = route.metadata.generation;
  // Each controller writes its own entry; any one that accepts and resolves the route serves it.
  const problems = parents.map((p) => [conditionProblem(p.conditions ?? [], 'Accepted', generation), conditionProblem(p.conditions ?? [], 'ResolvedRefs', generation)].filter((x) => x !== undefined));
  if (problems.some((list) => list.length === 0)) return { accepted: true };
  return { accepted: false, message: `Gateway ${gateway} has not accepted HTTPRoute ${route.metadata.name}: ${problems.flat().join('; ')}` };
}

export function ingressAcceptance(route: KubeObject): RouteAcceptance {
  const addresses = (route.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer?.ingress ?? [];
  if (addresses.some((a) => a.ip || a.hostname)) return { accepted: true };
  return { accepted: false, message: `the ingress controller has not published an address for Ingress ${route.metadata.name} yet (status.loadBalancer is empty)` };
}

/** Acceptance of a route of the configured kind; a cluster without routes has nothing to accept. */
export function routeAcceptance(settings: Pick<ClusterSettings, 'routes'>, route: KubeObject): RouteAcceptance {
  if (settings.routes.kind === 'HTTPRoute') return httpRouteAcceptance(settings.routes, route);
  if (settings.routes.kind === 'Ingress') return ingressAcceptance(route);
  return { accepted: true };
}
