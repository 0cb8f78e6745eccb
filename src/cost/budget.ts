import type { BudgetVerdict } from '../../workflows/contract';
import type { BudgetPolicy } from '../config/cost';
import type { PreviewCost } from './preview-cost';

export type { BudgetVerdict };

/** Takes any cost with a projection (a fresh `PreviewCost`, or the workflow's report of one). */
export function checkBudget(cost: Pick<PreviewCost, 'projectedToExpiry' | 'currency'>, policy: BudgetPolicy): BudgetVerdict {
  if (policy.perPreview === undefined) return { status: 'unbounded' };
  if (cost.projectedToExpiry <= policy.perPreview) return { status: 'within' };
  return {
    status: 'exceeded',
    action: policy.onExceed,
    limit: policy.perPreview,
    projected: cost.projectedToExpiry,
    message: `projected cost ${cost.projectedToExpiry.toFixed(2)} ${cost.currency} until expiry exceeds the per-preview budget of ${policy.perPreview.toFixed(2)} ${cost.currency}`,
  };
}
