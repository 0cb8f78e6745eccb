import type { ClusterSettings } from './cluster-settings';
import type { KubeObject } from './kube-object';
import { ownershipLabels } from './labels';
import type { PreviewRef } from './preview-ref';

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
