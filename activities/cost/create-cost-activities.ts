import type { ComputeCostInput, PreviewActivities } from '../../workflows/contract';
import type { BudgetPolicy, CostRates } from '../../src/config/cost';
import { DEFAULT_COST_RATES } from '../../src/cost';
import type { Clock } from '../clock';
import { computeCost, type CostReport, type ReadWorkloads } from './compute-cost';
import type { CostMetrics } from './cost-metrics';

export interface CostActivityDeps {
  readonly readWorkloads: ReadWorkloads;
  /** Seed 004's rates unless configured. */
  readonly rates?: CostRates;
  readonly budget?: BudgetPolicy;
  readonly clock?: Clock;
  /** Gauges for Prometheus; absent: no metrics. */
  readonly metrics?: CostMetrics;
}

/** Requests of the preview's workloads × rates, per hour and projected to expiry. */
export function createCostActivities(deps: CostActivityDeps) {
  const clock = deps.clock;
  const ctx = { readWorkloads: deps.readWorkloads, rates: deps.rates ?? DEFAULT_COST_RATES, budget: deps.budget, now: clock ? () => clock.now() : Date.now, metrics: deps.metrics };
  return {
    computeCost: (input: ComputeCostInput): Promise<CostReport> => computeCost(ctx, input),
  } satisfies Pick<PreviewActivities, 'computeCost'>;
}

export type CostActivities = ReturnType<typeof createCostActivities>;
