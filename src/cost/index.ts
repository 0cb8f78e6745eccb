export { DEFAULT_COST_RATES, computePreviewCost, type ResourceRequests, type PreviewCost } from './preview-cost';
export { checkBudget, type BudgetVerdict } from './budget';
