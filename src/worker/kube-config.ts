import { KubeConfig } from '@kubernetes/client-node';
import type { KubernetesConfig } from '../config';
import { ConfigError } from '../errors';

// The cluster previewd works on: the configured kubeconfig (or the usual lookup) and context
// (or the current one). Never chosen by PR data.

export const POINT_AT_A_CLUSTER =
  'Point previewd at a cluster: set KUBECONFIG (or kubernetes.kubeconfig / PREVIEWD_KUBECONFIG) to a kubeconfig whose current context reaches a running cluster ' +
  '(kind, k3d, minikube, Docker Desktop), or choose a context with kubernetes.context / PREVIEWD_KUBE_CONTEXT.';

export function loadKubeConfig(kubernetes: KubernetesConfig): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (kubernetes.kubeconfig) kc.loadFromFile(kubernetes.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    const which = kubernetes.kubeconfig ?? 'the default kubeconfig ($KUBECONFIG or ~/.kube/config)';
    throw new ConfigError('kubernetes.kubeconfig', `cannot load ${which}: ${(err as Error).message}. ${POINT_AT_A_CLUSTER}`);
  }
  if (kubernetes.context) {
    if (!kc.getContextObject(kubernetes.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new ConfigError('kubernetes.context', `invalid previewd config: kubernetes.context: no context "${kubernetes.context}" in the kubeconfig (it has: ${known.join(', ') || 'none'})`);
    }
    kc.setCurrentContext(kubernetes.context);
  }
  return kc;
}

/** Where the current context points, for messages. */
export function describeCluster(kc: KubeConfig): string {
  const context = kc.getCurrentContext();
  const server = kc.getCurrentCluster()?.server;
  return `context "${context || '(none)'}"${server ? ` (${server})` : ''}`;
}
