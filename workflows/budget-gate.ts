import { patched } from '@temporalio/workflow';
import type { BudgetVerdict, CostEstimate } from './contract';
import type { Preview } from './preview';

// `budget.onExceed: block`. The cost is measured from what the namespace's workloads request,
// so it is known only once a round has deployed them: the round that finds the projection over
// the budget ends Blocked instead of Ready (what it deployed stays until the TTL, a destroy or
// a close), and no later head is deployed while it is Blocked. Only an explicit redeploy looks
// again: its round first measures the cost against the budget as it is then (the operator may
// have raised it, the expiry may be nearer) and deploys the newest head only when it is within.

/**
 * Runs started before this patch took an over-budget verdict as a warning: replaying one whose
 * history holds such a verdict must keep it Ready.
 */
export const BUDGET_BLOCK_PATCH = 'budget-block';

/** Why the verdict blocks deploys, in words a PR author can act on; undefined when it does not. */
function blockingReason(verdict: BudgetVerdict | undefined): string | undefined {
  if (verdict?.status !== 'exceeded' || verdict.action !== 'block') return undefined;
  return `${verdict.message}; new commits are not deployed until a redeploy finds the projected cost within the budget`;
}

/** After a round's cost: true (and Blocked) when the budget blocks the preview. */
export function blockedByBudget(preview: Preview, cost: CostEstimate | undefined): boolean {
  const reason = blockingReason(cost?.budget);
  if (reason === undefined || !patched(BUDGET_BLOCK_PATCH)) return false;
  preview.setPhase('Blocked', reason);
  return true;
}

/**
 * Before a redeploy of a Blocked preview: true (and still Blocked) unless the cost, measured
 * now, is within the budget. A cost that cannot be measured keeps it Blocked: the budget is a
 * limit, and an unknown cost does not prove it is kept.
 */
export function stillBlocked(preview: Preview, cost: CostEstimate | undefined): boolean {
  if (cost === undefined) {
    preview.setPhase('Blocked', 'the cost could not be measured, so the budget could not be checked; a later redeploy checks again');
    return true;
  }
  const reason = blockingReason(cost.budget);
  if (reason !== undefined) {
    preview.recordEvent('redeploy-blocked', reason);
    preview.setPhase('Blocked', reason);
    return true;
  }
  preview.recordEvent('budget-within', `projected ${cost.projectedToExpiry.toFixed(2)} ${cost.currency} until expiry: deploying again`);
  return false;
}
