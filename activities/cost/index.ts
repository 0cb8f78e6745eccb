export { createCostActivities, type CostActivities, type CostActivityDeps } from './create-cost-activities';
export { type CostReport, type ReadWorkloads, InvalidExpiryError } from './compute-cost';
export { CostMetrics, COST_PER_HOUR_METRIC, COST_PROJECTED_METRIC } from './cost-metrics';
