import type { ClusterSettings } from '../../src/kubernetes';
import type { KubeApi } from './kube-api';

/** Milliseconds since the epoch; injected so deadlines are testable. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** What every Kubernetes activity is built from. */
export interface KubernetesActivityContext {
  readonly api: KubeApi;
  readonly settings: ClusterSettings;
  readonly clock: Clock;
}
