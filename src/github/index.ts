// GitHub reporting as pure functions: what the commit status, the deployment status and the
// sticky comment say for a report, names of environments and markers, and how GitHub's error
// answers are read (rate limits, missing permissions). activities/github does the calls.
export { splitRepository, type RepositoryName } from './repository-name';
export { previewEnvironmentName, type PreviewIdentity } from './environment-name';
export { stickyCommentMarker, isStickyComment } from './comment-marker';
export { inlineText, codeSpan, truncate, linkTarget } from './markdown';
export { formatMoney, formatUtc, shortSha } from './format';
export { effectivePhase, type ReportSnapshot } from './report-snapshot';
export {
  COMMIT_STATUS_CONTEXT,
  DESCRIPTION_LIMIT,
  phaseDescription,
  primaryUrl,
  commitStatusFor,
  deploymentStatusFor,
  type CommitState,
  type DeploymentState,
  type CommitStatusView,
  type DeploymentStatusView,
} from './report-states';
export { renderPreviewComment, type CommentOptions } from './render-comment';
export { OPERATION_HINTS, permissionMessage, credentialsMessage, validationMessage, type GitHubOperation } from './permission-hints';
export { rateLimitWait, type GitHubErrorResponse, type RateLimitWait } from './rate-limit';
export { COMMAND_AUTHOR_ASSOCIATIONS, parseCommentCommand, type CommentCommand, type CommentCommandParse } from './comment-command';
export { newestDestroyCommand, type ListedComment, type DestroyCommandSeen } from './destroy-command';
