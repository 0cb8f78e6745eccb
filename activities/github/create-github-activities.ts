import type { Logger } from '@temporalio/common';
import { log } from '@temporalio/activity';
import type { PreviewActivities, PreviewRef, PreviewReport } from '../../workflows/contract';
import type { BudgetPolicy } from '../../src/config/cost';
import { COMMIT_STATUS_CONTEXT } from '../../src/github';
import { systemClock, type Clock } from '../clock';
import { listChangedFiles, type ChangedFilesResult } from './changed-files';
import type { GitHubContext, OctokitFactory } from './github-context';
import { createOctokitFactory, type GitHubCredentials } from './octokit-factory';
import { reportPreview } from './report-preview';

export type GitHubActivityDeps = {
  /** `https://api.github.com` (default), or `https://<host>/api/v3` for GitHub Enterprise Server. */
  readonly apiBaseUrl?: string;
  readonly requestTimeoutMs?: number;
  readonly clock?: Clock;
  /** Defaults to the activity's logger. */
  readonly logger?: Logger;
  /** Commit status context (default `previewd`). */
  readonly statusContext?: string;
  /** PR comment commands as the ingress parses them (default `/preview`). */
  readonly commandPrefix?: string;
  readonly cliName?: string;
  /** Per-preview budget: an overrun is shown in the PR comment. */
  readonly budget?: BudgetPolicy;
  /** Link to a workflow run, e.g. the Temporal UI's `…/namespaces/<ns>/workflows/<id>`. */
  readonly workflowUrl?: (workflowId: string) => string;
} & ({ readonly auth: GitHubCredentials } | { readonly octokit: OctokitFactory });

function secretsOf(deps: GitHubActivityDeps): string[] {
  if (!('auth' in deps)) return [];
  return deps.auth.type === 'token' ? [deps.auth.token] : [deps.auth.privateKey];
}

/** GitHub reporting and the PR's changed files, bound to one set of credentials and one API. */
export function createGitHubActivities(deps: GitHubActivityDeps) {
  const logger = deps.logger ?? log;
  const ctx: GitHubContext = {
    octokitFor: 'octokit' in deps ? deps.octokit : createOctokitFactory({ auth: deps.auth, apiBaseUrl: deps.apiBaseUrl, requestTimeoutMs: deps.requestTimeoutMs, logger }),
    clock: deps.clock ?? systemClock,
    logger,
    secrets: secretsOf(deps),
    statusContext: deps.statusContext ?? COMMIT_STATUS_CONTEXT,
    commandPrefix: deps.commandPrefix,
    cliName: deps.cliName,
    budget: deps.budget,
    workflowUrl: deps.workflowUrl,
  };
  return {
    /** Commit status, deployment status and sticky comment. The workflow treats it as best-effort. */
    reportPreview: (report: PreviewReport): Promise<void> => reportPreview(ctx, report),
    /** The PR's changed files (up to GitHub's 3,000-file cap), for service choice. */
    listChangedFiles: (preview: PreviewRef): Promise<ChangedFilesResult> => listChangedFiles(ctx, preview),
  } satisfies Pick<PreviewActivities, 'reportPreview'> & Record<string, unknown>;
}

export type GitHubActivities = ReturnType<typeof createGitHubActivities>;
