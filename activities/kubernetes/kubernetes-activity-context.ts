import type { ClusterSettings } from '../../src/config/cluster';
import type { Clock } from '../clock';
import type { KubeApi } from './kube-api';

/** What every Kubernetes activity is built from. */
export interface KubernetesActivityContext {
  readonly api: KubeApi;
  readonly settings: ClusterSettings;
  readonly clock: Clock;
}
