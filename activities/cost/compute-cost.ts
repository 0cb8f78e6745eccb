import { FailureType, type ComputeCostInput, type CostEstimate, type PreviewRef } from '../../workflows/contract';
import type { BudgetPolicy, CostRates } from '../../src/config/cost';
import { checkBudget, computePreviewCost, type BudgetVerdict, type PreviewCost, type ResourceRequests } from '../../src/cost';
import type { CostMetrics } from './cost-metrics';

/** What the cost needs from the cluster: `createKubernetesActivities(…).readWorkloads`. */
export type ReadWorkloads = (input: { readonly preview: PreviewRef }) => Promise<{ readonly namespace: string; readonly totals: ResourceRequests }>;

export interface CostContext {
  readonly readWorkloads: ReadWorkloads;
  readonly rates: CostRates;
  readonly budget?: BudgetPolicy;
  readonly now: () => number;
  readonly metrics?: CostMetrics;
}

/** The activity's answer: the workflow's `CostEstimate` plus the breakdown and the budget verdict (all in history). */
export interface CostReport extends CostEstimate {
  readonly namespace: string;
  readonly breakdownPerHour: PreviewCost['breakdownPerHour'];
  readonly requests: ResourceRequests;
  readonly hoursToExpiry: number;
  readonly budget: BudgetVerdict;
}

export class InvalidExpiryError extends Error {
  override readonly name = FailureType.ValidationError;
}

export async function computeCost(ctx: CostContext, input: ComputeCostInput): Promise<CostReport> {
  const expiresAt = Date.parse(input.expiresAt);
  if (Number.isNaN(expiresAt)) throw new InvalidExpiryError(`expiresAt "${input.expiresAt}" is not an ISO-8601 time`);
  const { namespace, totals } = await ctx.readWorkloads({ preview: input.preview });
  const cost = computePreviewCost(totals, ctx.rates, { now: ctx.now(), expiresAt });
  ctx.metrics?.record(input.preview, cost, expiresAt);
  return {
    currency: cost.currency,
    perHour: cost.perHour,
    projectedToExpiry: cost.projectedToExpiry,
    namespace,
    breakdownPerHour: cost.breakdownPerHour,
    requests: cost.requests,
    hoursToExpiry: cost.hoursToExpiry,
    budget: checkBudget(cost, ctx.budget ?? { onExceed: 'warn' }),
  };
}
