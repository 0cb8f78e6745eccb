// The worker: previewd's workflows and their real activities on one task queue, its probes and
// metrics server, the janitor's and lost-delivery recovery's Schedules, and the checks that it points at a cluster.
export { ClusterWatch, applicationDigest, type ClusterWatchOptions, type ClusterWatchStats } from './cluster-watch';
export { WORKFLOWS_PATH, BUILT_WORKFLOW_BUNDLE, workflowSource, createWorker, type CreateWorkerOptions, type PreviewdWorker } from './create-worker';
export { startWorker, type WorkerParts } from './start-worker';
export { activitiesFromConfig, type WorkerActivityOptions } from './worker-activities';
export { databaseContextFromConfig, adminTlsOptions } from './database-context';
export { POINT_AT_A_CLUSTER, loadKubeConfig, describeCluster } from './kube-config';
export { ClusterUnreachableError, checkClusterReachable } from './cluster-reachability';
export { buildWorkerHttp, startWorkerHttp, type WorkerHttpDeps, type RunningWorkerHttp } from './worker-http';
export { ensureRedeliverySchedule, writeRedeliverySchedule, type EnsureRedeliveryScheduleOptions } from './webhook-redelivery-schedule';
export { ensureSchedule, type ScheduleOutcome } from './schedules';
export { ensureJanitorSchedule, startJanitorClient, type JanitorScheduleOutcome, type EnsureJanitorScheduleOptions, type JanitorClient } from './janitor-schedule';
export {
  checkSearchAttributes,
  cliTypeName,
  createCommand,
  ensureNamespaceSearchAttributes,
  missingAttributesMessage,
  searchAttributeProblems,
  type OperatorApi,
  type SearchAttributeCheck,
  type SearchAttributeCheckOptions,
} from './search-attributes';
