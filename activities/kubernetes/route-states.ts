import type { PreviewRef, ServiceReadiness } from '../../workflows/contract';
import { namespaceNameFor, previewKeys, previewSelector, routeAcceptance, routeKind, routeUrl } from '../../src/kubernetes';
import type { KubernetesActivityContext } from './kubernetes-activity-context';

/**
 * Adds the route state to every service that has a route object (previewd applies one per
 * exposed service when the cluster has a route kind). An Application that is Ready behind a
 * route its Gateway has not accepted is still Progressing, saying why: the URL would not work,
 * so it is not reported until it does.
 */
export async function withRouteStates(ctx: KubernetesActivityContext, preview: PreviewRef, states: ServiceReadiness[]): Promise<ServiceReadiness[]> {
  const kind = routeKind(ctx.settings);
  if (!kind || states.length === 0) return states;
  const routes = await ctx.api.list(kind.apiVersion, kind.kind, { namespace: namespaceNameFor(ctx.settings, preview), labelSelector: previewSelector(ctx.settings, preview) });
  const serviceKey = previewKeys(ctx.settings).service;
  const byService = new Map(routes.map((r) => [r.metadata.labels?.[serviceKey], r]));
  return states.map((state) => {
    const route = byService.get(state.service);
    if (!route) return state;
    const acceptance = routeAcceptance(ctx.settings, route);
    const withRoute = { ...state, route: { url: routeUrl(ctx.settings, state.service, preview.prNumber), ...acceptance } };
    if (acceptance.accepted || state.state !== 'Ready') return withRoute;
    return { ...withRoute, state: 'Progressing' as const, message: acceptance.message };
  });
}
