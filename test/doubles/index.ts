export { PreviewActivityDoubles, WorkflowScript, Gate, namespaceOf, EXAMPLE_DOMAIN, type ActivityCall, type CallOutcome, type FailureSpec, type Readiness } from './preview-activity-doubles';
