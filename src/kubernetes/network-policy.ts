import type { ClusterSettings } from './cluster-settings';
import type { KubeObject } from './kube-object';
import { ownershipLabels } from './labels';
import type { PreviewRef } from './preview-ref';

export const NETWORK_POLICY_NAME = 'previewd-ingress';

/** The namespace that must reach preview pods to serve routes, if any. */
function routingNamespace(settings: ClusterSettings): string | undefined {
  if (settings.routes.kind === 'HTTPRoute') return settings.routes.gateway.namespace;
  if (settings.routes.kind === 'Ingress') return settings.routes.controllerNamespace;
  return undefined;
}

function fromNamespaceLabels(matchLabels: Record<string, string>) {
  return { from: [{ namespaceSelector: { matchLabels } }] };
}

/**
 * Denies ingress to every pod of the preview except from the same namespace, the routing
 * namespace (gateway or ingress controller) and namespaces carrying the base-environment label.
 * An empty `from` would allow everything, so each rule names its peers explicitly.
 */
export function buildNetworkPolicy(settings: ClusterSettings, preview: PreviewRef, namespace: string): KubeObject {
  const ingress: unknown[] = [
    { from: [{ podSelector: {} }] },
    fromNamespaceLabels({ [settings.baseEnvironment.label]: settings.baseEnvironment.name }),
  ];
  const router = routingNamespace(settings);
  if (router) ingress.push(fromNamespaceLabels({ 'kubernetes.io/metadata.name': router }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: NETWORK_POLICY_NAME, namespace, labels: ownershipLabels(settings, preview) },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress },
  };
}
