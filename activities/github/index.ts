// GitHub reporting (commit status, deployment, sticky comment) and the PR's changed files.
export { createGitHubActivities, type GitHubActivities, type GitHubActivityDeps } from './create-github-activities';
export { createAppOctokit, createOctokitFactory, GITHUB_API_URL, type GitHubCredentials, type OctokitOptions } from './octokit-factory';
export { GITHUB_CHANGED_FILES_CAP, type ChangedFilesResult } from './changed-files';
export { DEPLOYMENT_TASK } from './deployment';
export { toGitHubFailure, isRateLimited, isNonRetryable, redact } from './github-failure';
export type { OctokitFactory } from './github-context';
