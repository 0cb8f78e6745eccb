// Entry point bundled into the Temporal workflow sandbox: export every workflow type here.
// Clients import messages from './messages' and the workflow function from here (for its name
// and types only).
export { previewLifecycle } from './preview-lifecycle';
export { previewJanitor } from './janitor';
export type { JanitorInput, JanitorSummary } from '../src/janitor';
export type { PreviewLifecycleInput, PreviewOutcome, PullRequestSnapshot, LifecycleOptions } from '../src/lifecycle';
