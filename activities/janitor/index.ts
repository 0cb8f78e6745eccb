// The orphan-namespace janitor's activities (their contract is workflows/contract's JanitorActivities).
export { createJanitorActivities, type JanitorActivityDeps } from './create-janitor-activities';
export { JanitorMetrics, JANITOR_DELETED_METRIC, JANITOR_SKIPPED_METRIC, JANITOR_DATABASES_DROPPED_METRIC, JANITOR_DATABASES_SKIPPED_METRIC } from './janitor-metrics';
export { nudgeOutdatedPreviews, currentDeploymentVersion, deploymentVersionString, outdatedRunsQuery, type NudgeOptions } from './worker-version-nudge';
