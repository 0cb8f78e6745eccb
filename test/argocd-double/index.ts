export { ArgoCdDouble, isTransient, type ArgoCdDoubleOptions, type HealthVerdict } from './argocd-double';
export { keepAliveTransport } from './keep-alive-transport';
export { watchObjects, type KubeWatch, type WatchEventType } from './kube-watch';
export { WatchingController, type WatchingControllerOptions } from './watching-controller';
export { workloadsFor, TRACKING_LABEL, type WorkloadShape } from './workloads';
