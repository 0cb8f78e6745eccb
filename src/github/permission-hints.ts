// GitHub answers a missing permission with 403 ("Resource not accessible by integration") or,
// for resources the credentials cannot see at all, 404. Neither improves with retrying, and
// neither says what to fix, so every operation carries the permission it needs.

export type GitHubOperation = 'commitStatus' | 'deployment' | 'comment' | 'changedFiles' | 'lockFile' | 'bootstrapFile' | 'pullRequest' | 'checks' | 'installation' | 'webhookDeliveries';

interface OperationHint {
  /** "to …": what previewd tried to do. */
  readonly action: string;
  /** GitHub App permission (repository permissions). */
  readonly appPermission: string;
  /** Classic personal access token scope / fine-grained token permission. */
  readonly tokenPermission: string;
}

export const OPERATION_HINTS: Readonly<Record<GitHubOperation, OperationHint>> = {
  commitStatus: {
    action: 'set the commit status',
    appPermission: '"Commit statuses: Read and write"',
    tokenPermission: 'the "repo:status" scope (classic) or "Commit statuses: Read and write" (fine-grained)',
  },
  deployment: {
    action: 'create the deployment and its statuses',
    appPermission: '"Deployments: Read and write"',
    tokenPermission: 'the "repo_deployment" scope (classic) or "Deployments: Read and write" (fine-grained)',
  },
  comment: {
    action: 'write the pull request comment',
    appPermission: '"Pull requests: Read and write"',
    tokenPermission: 'the "repo" or "public_repo" scope (classic) or "Pull requests: Read and write" (fine-grained)',
  },
  changedFiles: {
    action: "list the pull request's changed files",
    appPermission: '"Pull requests: Read-only"',
    tokenPermission: 'the "repo" scope (classic) or "Pull requests: Read-only" (fine-grained)',
  },
  lockFile: {
    action: "read the pull request's image lock file",
    appPermission: '"Contents: Read-only"',
    tokenPermission: 'the "repo" scope (classic) or "Contents: Read-only" (fine-grained)',
  },
  bootstrapFile: {
    action: "read the preview database's bootstrap SQL file",
    appPermission: '"Contents: Read-only"',
    tokenPermission: 'the "repo" scope (classic) or "Contents: Read-only" (fine-grained)',
  },
  pullRequest: {
    action: 'read the pull request (open, head, labels, draft)',
    appPermission: '"Pull requests: Read-only"',
    tokenPermission: 'the "repo" scope (classic) or "Pull requests: Read-only" (fine-grained)',
  },
  checks: {
    action: "read the head commit's check runs and commit statuses (the CI gate)",
    appPermission: '"Checks: Read-only" and "Commit statuses: Read-only"',
    tokenPermission: 'the "repo" scope (classic) or "Checks: Read-only" and "Commit statuses: Read-only" (fine-grained)',
  },
  installation: {
    action: 'get a GitHub App installation token',
    appPermission: 'to be installed on the repository (and the configured app id and private key must match)',
    tokenPermission: 'nothing (token auth does not use installations)',
  },
  webhookDeliveries: {
    action: "list or redeliver the App's webhook deliveries",
    appPermission: 'its own JWT (the configured app id and private key must match) and an active webhook in the App settings; installation permissions play no part',
    tokenPermission: "nothing that works: only the App's JWT reads its deliveries (configure github.auth as an App)",
  },
};

/** The human part of a refused request: what failed, GitHub's words, and what to grant. */
export function permissionMessage(operation: GitHubOperation, repository: string, status: number, githubMessage: string): string {
  const hint = OPERATION_HINTS[operation];
  const seen = status === 404 ? ' (404: not found, or not visible to these credentials)' : ` (${status})`;
  return (
    `GitHub refused to ${hint.action} on ${repository}${seen}: ${githubMessage}. ` +
    `A GitHub App needs ${hint.appPermission}; a token needs ${hint.tokenPermission}.`
  );
}

export function credentialsMessage(operation: GitHubOperation, repository: string, githubMessage: string): string {
  return `GitHub rejected previewd's credentials while trying to ${OPERATION_HINTS[operation].action} on ${repository} (401): ${githubMessage}. Check the configured token or GitHub App key.`;
}

export function validationMessage(operation: GitHubOperation, repository: string, githubMessage: string): string {
  const hint = OPERATION_HINTS[operation];
  return `GitHub rejected the request to ${hint.action} on ${repository} (422): ${githubMessage}. If the request itself is valid, check that a GitHub App has ${hint.appPermission}.`;
}
