import { CustomObjectsApi, NetworkingV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import type { ClusterSettings } from '../../src/config';

// Stands in for the gateway controller (and the ingress controller): no Gateway API
// implementation or ingress controller runs against the test API server, so nothing would ever
// write a route's status. This writes what one would, for the routes in its scope: an
// HTTPRoute's `status.parents` entry for the configured Gateway (Accepted and ResolvedRefs for
// the route's current generation, or a rejection), or an Ingress's load balancer address.
// Its scope is one namespace, or (for suites with many previews) every namespace's routes that
// carry a label selector.

export interface GatewayParent {
  readonly name: string;
  readonly namespace: string;
  readonly sectionName?: string;
}

export type RouteVerdict = { readonly accept: true } | { readonly accept: false; readonly reason: string; readonly message: string };

const ROUTES = { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' } as const;
const CONTROLLER = 'example.test/gateway-controller';
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** One namespace, or the routes of every namespace that match a label selector. */
export type RouteScope = string | { readonly labelSelector: string };

interface HttpRoute {
  metadata: { name: string; namespace?: string; generation?: number };
  status?: { parents?: { parentRef?: { name?: string }; conditions?: { type: string; status: string; observedGeneration?: number }[] }[] };
}

export class RouteStatusWriter {
  private readonly custom: CustomObjectsApi;
  private readonly networking: NetworkingV1Api;
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  /** Routes by name that get this verdict instead of acceptance. */
  readonly verdicts = new Map<string, RouteVerdict>();
  writes = 0;

  constructor(
    kc: KubeConfig,
    private readonly scope: RouteScope,
    private readonly parent: GatewayParent,
  ) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.networking = kc.makeApiClient(NetworkingV1Api);
  }

  /** A writer for the Gateway previewd's settings attach routes to (any parent will do for Ingress clusters). */
  static forSettings(kc: KubeConfig, scope: RouteScope, settings: Pick<ClusterSettings, 'routes'>): RouteStatusWriter {
    const parent = settings.routes.kind === 'HTTPRoute' ? settings.routes.gateway : { name: 'none', namespace: 'none' };
    return new RouteStatusWriter(kc, scope, parent);
  }

  /** Polls the namespace every `intervalMs` and writes status where it is missing or stale. */
  start(intervalMs = 100): this {
    const loop = () => {
      this.pass = this.once().catch(() => undefined);
      void this.pass.then(() => {
        if (this.timer) this.timer = setTimeout(loop, intervalMs);
      });
    };
    this.timer = setTimeout(loop, 0);
    return this;
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass;
  }

  /** One pass over the scope's HTTPRoutes and Ingresses. */
  async once(): Promise<void> {
    const scope = this.scope;
    const list = (
      typeof scope === 'string'
        ? await this.custom.listNamespacedCustomObject({ ...ROUTES, namespace: scope })
        : await this.custom.listClusterCustomObject({ ...ROUTES, labelSelector: scope.labelSelector })
    ) as { items: HttpRoute[] };
    for (const route of list.items) await this.writeRoute(route);
    const ingresses =
      typeof scope === 'string' ? await this.networking.listNamespacedIngress({ namespace: scope }) : await this.networking.listIngressForAllNamespaces({ labelSelector: scope.labelSelector });
    for (const ingress of ingresses.items) {
      const name = ingress.metadata?.name ?? '';
      if ((ingress.status?.loadBalancer?.ingress ?? []).length > 0 || this.verdicts.get(name)?.accept === false) continue;
      await this.networking.patchNamespacedIngressStatus({ namespace: ingress.metadata?.namespace ?? '', name, body: { status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } } } }, MERGE);
      this.writes++;
    }
  }

  private async writeRoute(route: HttpRoute): Promise<void> {
    const generation = route.metadata.generation ?? 1;
    const verdict = this.verdicts.get(route.metadata.name) ?? { accept: true };
    const status = verdict.accept ? 'True' : 'False';
    const current = route.status?.parents?.find((p) => p.parentRef?.name === this.parent.name)?.conditions?.find((c) => c.type === 'Accepted');
    if (current?.observedGeneration === generation && current.status === status) return;
    const now = new Date().toISOString();
    const condition = (type: string, ok: boolean, reason: string, message: string) => ({ type, status: ok ? 'True' : 'False', reason, message, observedGeneration: generation, lastTransitionTime: now });
    const conditions = verdict.accept
      ? [condition('Accepted', true, 'Accepted', 'Route is accepted'), condition('ResolvedRefs', true, 'ResolvedRefs', 'All references resolved')]
      : [condition('Accepted', false, verdict.reason, verdict.message), condition('ResolvedRefs', true, 'ResolvedRefs', 'All references resolved')];
    const parentRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', ...this.parent };
    await this.custom.patchNamespacedCustomObjectStatus(
      { ...ROUTES, namespace: route.metadata.namespace ?? '', name: route.metadata.name, body: { status: { parents: [{ parentRef, controllerName: CONTROLLER, conditions }] } } },
      MERGE,
    );
    this.writes++;
  }
}
