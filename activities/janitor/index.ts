export { createJanitorActivities, type JanitorActivityDeps } from './create-janitor-activities';
export { JanitorMetrics, JANITOR_DELETED_METRIC, JANITOR_SKIPPED_METRIC } from './janitor-metrics';
export { JANITOR_NOT_CONFIGURED } from './janitor-context';
export type { JanitorActivities, ScanForOrphansInput, TearDownOrphanInput } from './types';
