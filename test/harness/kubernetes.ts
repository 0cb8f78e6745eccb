import { KubeConfig } from '@kubernetes/client-node';
import { harnessState } from './state';

/** A KubeConfig for the run-wide test control plane (admin, system:masters). */
export function testKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(harnessState().kube.kubeconfig);
  return kc;
}
