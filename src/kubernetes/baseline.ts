import type { PreviewRef } from '../../workflows/contract';
import type { ClusterSettings } from '../config/cluster';
import type { KubeObject } from './objects';
import { namespaceNameFor, ownershipLabels } from './namespace';

// The baseline of a preview namespace: isolation (ingress and egress), limits, the identity
// Argo CD syncs as, runtime secrets and bindings.

export const NETWORK_POLICY_NAME = 'previewd-ingress';
export const EGRESS_POLICY_NAME = 'previewd-egress';

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

function toNamespace(name: string) {
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } };
}

/** The namespaces preview pods reach for shared infra: the base environment's, those bindings point at, and the configured extras. */
function egressNamespaces(settings: ClusterSettings): string[] {
  const fromBindings = settings.bindings.flatMap((b) => Object.values(b.entries).map((e) => e.namespace ?? settings.baseEnvironment.namespace));
  return [...new Set([settings.baseEnvironment.namespace, ...fromBindings, ...settings.egress.namespaces])].sort();
}

/**
 * Limits where preview pods may connect (seed 000 "NetworkPolicy + reuse infra"): their own
 * namespace, the shared infra namespaces by name (`kubernetes.io/metadata.name`, which the API
 * server sets and nobody can forge), the cluster DNS on UDP/TCP 53, and configured address
 * ranges. Other previews carry the base environment's label too, so the label would let a
 * preview reach every other one; names do not. Undefined when egress is not restricted.
 */
export function buildEgressPolicy(settings: ClusterSettings, preview: PreviewRef, namespace: string): KubeObject | undefined {
  const egress = settings.egress;
  if (!egress.enabled) return undefined;
  const rules: unknown[] = [
    { to: [{ podSelector: {} }] },
    { to: egressNamespaces(settings).map(toNamespace) },
    {
      to: [{ ...toNamespace(egress.dns.namespace), podSelector: { matchLabels: { ...egress.dns.podLabels } } }],
      ports: [
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ],
    },
  ];
  if (egress.cidrs.length > 0) {
    rules.push({ to: egress.cidrs.map((c) => ({ ipBlock: c.except.length > 0 ? { cidr: c.cidr, except: [...c.except] } : { cidr: c.cidr } })) });
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: EGRESS_POLICY_NAME, namespace, labels: ownershipLabels(settings, preview) },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress: rules },
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

/** `{namespace}` in a remote key is the preview namespace; nothing else is substituted. */
export function expandRemoteKey(key: string, namespace: string): string {
  return key.replaceAll('{namespace}', namespace);
}

/**
 * Runtime secrets (seed 000 §6 "Preview-safe secrets strategy"): one ExternalSecret per
 * configured secret, from a ClusterSecretStore, reading only keys on that store's allow-list
 * (checked when the config is loaded). PR bundles cannot add their own: the AppProject denies
 * ExternalSecrets, and so does the sync identity's RBAC.
 */
export function buildRuntimeSecrets(settings: ClusterSettings, preview: PreviewRef, namespace: string): KubeObject[] {
  return settings.secrets.map((secret) => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: secret.name, namespace, labels: ownershipLabels(settings, preview) },
    spec: {
      refreshInterval: secret.refreshInterval,
      secretStoreRef: { kind: 'ClusterSecretStore', name: secret.store },
      target: { name: secret.name, creationPolicy: 'Owner', ...(secret.type !== undefined && { template: { type: secret.type } }) },
      data: secret.data.map((d) => ({
        secretKey: d.secretKey,
        remoteRef: { key: expandRemoteKey(d.remoteKey, namespace), ...(d.property !== undefined && { property: d.property }) },
      })),
    },
  }));
}

/**
 * The identity Argo CD impersonates when it syncs this preview (AppProject
 * `destinationServiceAccounts`): a ServiceAccount bound to the configured ClusterRole in this
 * namespace only. An object a bundle places in another namespace, another preview's included,
 * is then refused by the API server, which the AppProject's `pr-*` glob alone cannot do.
 */
export function buildSyncIdentity(settings: ClusterSettings, preview: PreviewRef, namespace: string): KubeObject[] {
  const sync = settings.argocd.syncServiceAccount;
  if (!sync) return [];
  const labels = ownershipLabels(settings, preview);
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sync.name, namespace, labels }, automountServiceAccountToken: false },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: sync.name, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: sync.clusterRole },
      subjects: [{ kind: 'ServiceAccount', name: sync.name, namespace }],
    },
  ];
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
 * Everything in the preview namespace before any app: isolation first, then limits, the sync
 * identity, then secrets and bindings. Nothing here sets a namespace other than the preview's own.
 */
export function buildBaseline(settings: ClusterSettings, preview: PreviewRef): KubeObject[] {
  const namespace = namespaceNameFor(settings, preview);
  const pullSecret = buildImagePullSecret(settings, preview, namespace);
  const egress = buildEgressPolicy(settings, preview, namespace);
  return [
    buildNetworkPolicy(settings, preview, namespace),
    ...(egress ? [egress] : []),
    buildResourceQuota(settings, preview, namespace),
    buildLimitRange(settings, preview, namespace),
    ...buildSyncIdentity(settings, preview, namespace),
    ...(pullSecret ? [pullSecret] : []),
    ...buildRuntimeSecrets(settings, preview, namespace),
    ...buildBindingConfigMaps(settings, preview, namespace),
  ];
}
