// The janitor's pure decisions: which namespaces are even candidates, and whether Temporal's
// answers prove a namespace orphaned. The types it decides about are the workflow contract's.
export { isOwnerWorkflowId, previewOfNamespace, screenNamespace, type ScreenSettings, type ScreenResult, type ScreenContext } from './namespace-screen';
export { screenApplication, type ApplicationScreen } from './application-screen';
export { ownerVerdict, type DescribeOutcome, type OwnerEvidence, type OwnerSkipReason, type OwnerVerdict } from './orphan-verdict';
export { summarizeApplicationPass, summarizeDatabasePass, summarizeJanitorRun } from './janitor-summary';
