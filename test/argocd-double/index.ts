export { ArgoCdDouble, type ArgoCdDoubleOptions, type HealthVerdict } from './argocd-double';
export { workloadsFor, TRACKING_LABEL, type WorkloadShape } from './workloads';
