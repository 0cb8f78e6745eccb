// The Kubernetes and Argo CD activities (their inputs and results are the workflow contract's),
// and the small API client they share with the janitor and the tests.
export { createKubernetesActivities, createKubernetesContext, type KubernetesActivities, type KubernetesActivityDeps } from './create-kubernetes-activities';
export type { ReadWorkloadsInput, ReadWorkloadsResult } from './read-workloads';
export { teardown, type BeforeNamespaceDeletion } from './teardown';
export { pollUntil, type PollStep } from './heartbeat-poll';
export { KubeApi, FIELD_MANAGER, throttleDelay, type PropagationPolicy } from './kube-api';
export { kubeConfigTransport, KeepAliveAgents, retryAfterMs, type KubeTransport, type KubeRequest, type KubeResponse } from './kube-transport';
export { KubernetesApiError, isNotFound } from './kubernetes-api-error';
export { toActivityFailure, withApiFailures } from './api-failures';
export type { KubernetesActivityContext } from './kubernetes-activity-context';
