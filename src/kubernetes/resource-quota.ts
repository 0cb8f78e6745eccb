import type { ClusterSettings } from './cluster-settings';
import type { KubeObject } from './kube-object';
import { ownershipLabels } from './labels';
import type { PreviewRef } from './preview-ref';

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
