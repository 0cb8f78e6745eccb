import { KubeConfig } from '@kubernetes/client-node';
import { KubeHttp } from '../../src/dev/kube-http';
import { harnessState } from './state';

/** A KubeConfig for the run-wide test control plane (admin, system:masters). */
export function testKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(harnessState().kube.kubeconfig);
  return kc;
}

/** Raw admin HTTPS to the test API server, for what the typed client does not do (impersonation headers). */
export function adminKubeHttp(): KubeHttp {
  const { kube } = harnessState();
  return new KubeHttp(kube.server, kube.pki);
}
