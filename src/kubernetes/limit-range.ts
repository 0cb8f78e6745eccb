import type { ClusterSettings } from './cluster-settings';
import type { KubeObject } from './kube-object';
import { ownershipLabels } from './labels';
import type { PreviewRef } from './preview-ref';

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
