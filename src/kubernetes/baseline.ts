import { buildBindingConfigMaps } from './binding-config-maps';
import type { ClusterSettings } from './cluster-settings';
import { buildImagePullSecret } from './image-pull-secret';
import type { KubeObject } from './kube-object';
import { buildLimitRange } from './limit-range';
import { namespaceNameFor } from './namespace';
import { buildNetworkPolicy } from './network-policy';
import type { PreviewRef } from './preview-ref';
import { buildResourceQuota } from './resource-quota';

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
