// The Argo CD double now serves only `npm run bench` (test/bench/bench-stack.ts): every test of
// the Argo CD contract runs against real Argo CD (src/dev/argocd.ts, started by the harness).
// Why the bench keeps it: the 1,000-preview measurement isolates previewd's own cost (memory at
// rest, timer lateness, bring-up rate against direct object creation); whether real Argo CD keeps
// up at that scale on this 2-core machine is measured by the scale work (issue 15), which decides
// whether this double goes too.
export { ArgoCdDouble, isTransient, type ArgoCdDoubleOptions, type HealthVerdict } from './argocd-double';
export { keepAliveTransport } from './keep-alive-transport';
export { watchObjects, type KubeWatch, type WatchEventType } from './kube-watch';
export { WatchingController, type WatchingControllerOptions } from './watching-controller';
export { workloadsFor, TRACKING_LABEL, type WorkloadShape } from './workloads';
