// The janitor's pure decisions: which namespaces are even candidates, and whether Temporal's
// answers prove a namespace orphaned. The types it decides about are the workflow contract's.
export { previewOfNamespace, screenNamespace, type ScreenSettings, type ScreenResult, type ScreenContext } from './namespace-screen';
export { ownerVerdict, type DescribeOutcome, type OwnerEvidence, type OwnerVerdict } from './orphan-verdict';
export { summarizeJanitorRun } from './janitor-summary';
