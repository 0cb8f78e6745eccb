export * from './create-worker';
export * from './kube-config';
export * from './worker-activities';
export * from './cluster-reachability';
export * from './worker-http';
export * from './janitor-schedule';
