import type { ClusterSettings } from './cluster-settings';
import type { KubeObject } from './kube-object';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './labels';
import { hasPreviewPrefix } from './namespace-name';

/**
 * Why previewd must not touch this namespace, or undefined when it may. Both the prefix and
 * the ownership label are required: the prefix alone could be a hand-made namespace, and the
 * label alone could be set on a shared one.
 */
export function foreignNamespaceReason(settings: Pick<ClusterSettings, 'namespacePrefix'>, namespace: Pick<KubeObject, 'metadata'>): string | undefined {
  const name = namespace.metadata.name;
  if (!hasPreviewPrefix(settings.namespacePrefix, name)) {
    return `namespace "${name}" does not have the preview prefix "${settings.namespacePrefix}-"`;
  }
  const managedBy = namespace.metadata.labels?.[MANAGED_BY_LABEL];
  if (managedBy !== MANAGED_BY_VALUE) {
    return `namespace "${name}" is not managed by previewd (label ${MANAGED_BY_LABEL}=${managedBy ?? '<absent>'}, expected ${MANAGED_BY_VALUE})`;
  }
  return undefined;
}
