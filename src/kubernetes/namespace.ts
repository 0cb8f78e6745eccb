import type { ClusterSettings } from './cluster-settings';
import type { KubeObject } from './kube-object';
import { ownershipLabels, previewKeys } from './labels';
import { previewNamespaceName } from './namespace-name';
import type { PreviewRef } from './preview-ref';

export interface NamespaceDetails {
  readonly headSha: string;
  readonly workflowId: string;
  /** ISO-8601 instant the preview expires (annotation only: the workflow owns the timer). */
  readonly expiresAt: string;
}

export function namespaceNameFor(settings: Pick<ClusterSettings, 'namespacePrefix'>, preview: PreviewRef): string {
  return previewNamespaceName(settings.namespacePrefix, preview.repoKey, preview.prNumber);
}

/**
 * The preview Namespace. It carries the base-environment label so the base environment's
 * NetworkPolicies let it reach shared infra (seed 000 "NetworkPolicy + reuse infra"), and the
 * gateway-access label only when routes attach to a shared Gateway.
 */
export function buildNamespace(settings: ClusterSettings, preview: PreviewRef, details: NamespaceDetails): KubeObject {
  const keys = previewKeys(settings);
  const labels: Record<string, string> = {
    ...ownershipLabels(settings, preview),
    [settings.baseEnvironment.label]: settings.baseEnvironment.name,
  };
  if (settings.routes.kind === 'HTTPRoute') labels[settings.routes.accessLabel.key] = settings.routes.accessLabel.value;
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespaceNameFor(settings, preview),
      labels,
      annotations: {
        [keys.repository]: preview.repository,
        [keys.headSha]: details.headSha,
        [keys.workflowId]: details.workflowId,
        [keys.expiresAt]: details.expiresAt,
      },
    },
  };
}
