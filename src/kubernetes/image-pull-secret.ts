import type { ClusterSettings } from './cluster-settings';
import type { KubeObject } from './kube-object';
import { ownershipLabels } from './labels';
import type { PreviewRef } from './preview-ref';

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
