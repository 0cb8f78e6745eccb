import type { KubeConfig } from '@kubernetes/client-node';
import { kubeConfigTransport } from '../../activities/kubernetes';
import { describeCluster, POINT_AT_A_CLUSTER as HINT } from './kube-config';

// Before starting anything that would create previews, make sure the cluster answers: a
// worker pointed at nothing would retry its first activity forever, which looks like a hang.

export class ClusterUnreachableError extends Error {
  override readonly name = 'ClusterUnreachableError';
}

/** Resolves with the server's version (`v1.37.2`), or rejects with a message that says what to fix. */
export async function checkClusterReachable(kc: KubeConfig, timeoutMs = 5_000): Promise<string> {
  const where = describeCluster(kc);
  if (!kc.getCurrentCluster()) throw new ClusterUnreachableError(`no Kubernetes cluster configured: the kubeconfig has no current context with a cluster. ${HINT}`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const res = await Promise.race([kubeConfigTransport(kc)({ method: 'GET', path: '/version' }), timeout]);
    if (res.status === 401 || res.status === 403) throw new Error(`the API server refused the kubeconfig's credentials (HTTP ${res.status})`);
    if (res.status !== 200) throw new Error(`GET /version answered HTTP ${res.status}`);
    const version = (res.body as { gitVersion?: unknown } | undefined)?.gitVersion;
    return typeof version === 'string' ? version : 'unknown version';
  } catch (err) {
    throw new ClusterUnreachableError(`no Kubernetes cluster reachable from ${where}: ${(err as Error).message}. ${HINT}`);
  } finally {
    clearTimeout(timer);
  }
}
