import type { PreviewRef } from '../../workflows/contract';
import type { ClusterSettings } from '../config/cluster';
import type { KubeObject } from './objects';
import { namespaceNameFor, ownershipLabels } from './namespace';

// The baseline of a preview namespace: isolation, limits, the optional pull secret and bindings.

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

export const RESOURCE_QUOTA_NAME = 'previewd-quota';

/** Caps what one preview can consume, so a runaway PR cannot starve the base environment. */
export function buildResourceQuota(settings: ClusterSettings, preview: PreviewRef, namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: RESOURCE_QUOTA_NAME, namespace, labels: ownershipLabels(settings, preview) },
    spec: { hard: { ...settings.quota } },
  };
}

export const LIMIT_RANGE_NAME = 'previewd-limits';

/**
 * Container defaults. A quota on requests makes pods without requests unschedulable, so the
 * defaults let charts that omit them still run — and give the cost calculation real numbers.
 */
export function buildLimitRange(settings: ClusterSettings, preview: PreviewRef, namespace: string): KubeObject {
  const limit: Record<string, unknown> = {
    type: 'Container',
    default: { ...settings.limits.default },
    defaultRequest: { ...settings.limits.defaultRequest },
  };
  if (settings.limits.max) limit.max = { ...settings.limits.max };
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: LIMIT_RANGE_NAME, namespace, labels: ownershipLabels(settings, preview) },
    spec: { limits: [limit] },
  };
}

/**
 * An ExternalSecret that materialises the image-pull secret from a ClusterSecretStore. A
 * cluster store avoids binding the secret backend's auth to every new `pr-*` namespace
 * (seed 000 "Preview-safe secrets strategy"). Undefined when not configured.
 */
export function buildImagePullSecret(settings: ClusterSettings, preview: PreviewRef, namespace: string): KubeObject | undefined {
  const pull = settings.imagePullSecret;
  if (!pull) return undefined;
  const remoteRef: Record<string, string> = { key: pull.remoteKey };
  if (pull.remoteProperty) remoteRef.property = pull.remoteProperty;
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: pull.secretName, namespace, labels: ownershipLabels(settings, preview) },
    spec: {
      refreshInterval: pull.refreshInterval,
      secretStoreRef: { kind: 'ClusterSecretStore', name: pull.clusterSecretStore },
      target: {
        name: pull.secretName,
        creationPolicy: 'Owner',
        template: { type: 'kubernetes.io/dockerconfigjson' },
      },
      data: [{ secretKey: '.dockerconfigjson', remoteRef }],
    },
  };
}

/**
 * ConfigMaps whose values are FQDNs of base-environment services
 * (`<svc>.<base-env-namespace>.svc.<cluster domain>[:port]`): apps in the preview reuse shared
 * infra through these instead of in-namespace defaults (seed 000 "reuse infra").
 */
export function buildBindingConfigMaps(settings: ClusterSettings, preview: PreviewRef, namespace: string): KubeObject[] {
  return settings.bindings.map((binding) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: binding.name, namespace, labels: ownershipLabels(settings, preview) },
    data: Object.fromEntries(
      Object.entries(binding.entries).map(([key, target]) => {
        const host = `${target.service}.${target.namespace ?? settings.baseEnvironment.namespace}.svc.${settings.clusterDomain}`;
        return [key, target.port === undefined ? host : `${host}:${target.port}`];
      }),
    ),
  }));
}

/**
 * Everything in the preview namespace before any app: isolation first, then limits, then the
 * optional secret and bindings. Nothing here sets a namespace other than the preview's own.
 */
export function buildBaseline(settings: ClusterSettings, preview: PreviewRef): KubeObject[] {
  const namespace = namespaceNameFor(settings, preview);
  const pullSecret = buildImagePullSecret(settings, preview, namespace);
  return [
    buildNetworkPolicy(settings, preview, namespace),
    buildResourceQuota(settings, preview, namespace),
    buildLimitRange(settings, preview, namespace),
    ...(pullSecret ? [pullSecret] : []),
    ...buildBindingConfigMaps(settings, preview, namespace),
  ];
}
