import type { PreviewActivities } from './activities';
import type { PreviewDatabaseActivities } from './database';
import type { PreviewMetricsActivities } from './metrics';

/**
 * Everything the lifecycle workflow may call: the core steps, the per-preview database steps
 * (only for repositories that enable a database) and the duration samples. A worker registers
 * all of them (activities/index.ts createActivities).
 */
export type LifecycleActivities = PreviewActivities & PreviewDatabaseActivities & PreviewMetricsActivities;

export type LifecycleActivityName = keyof LifecycleActivities;
