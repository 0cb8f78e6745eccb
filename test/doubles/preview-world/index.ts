export { PreviewWorld, previewKey, type WorldCall, type CallOutcome } from './preview-world';
export { ClusterModel, modelNamespaceName, modelApplicationName, type ModelNamespace, type ModelApplication } from './cluster-model';
export { GitHubModel, type PullRequestTruth, type ShownReport } from './github-model';
export { PreviewBehaviour, Release, type GitHubMode } from './preview-behaviour';
