import { log } from '@temporalio/activity';
import type { FetchBootstrapSqlInput, FetchBootstrapSqlResult, PreviewActivities, PreviewRef, PreviewReport, PullRequestReading, ReadChecksInput, ChecksReading, ReadPullRequestInput, ResolveImagesInput, ResolveImagesResult } from '../../workflows/contract';
import { COMMIT_STATUS_CONTEXT } from '../../src/github';
import { systemClock } from '../clock';
import { fetchBootstrapSql } from './bootstrap-sql';
import { listChangedFiles, type ChangedFilesResult } from './changed-files';
import type { GitHubContext, OctokitFactory } from './github-context';
import { resolveImages } from './image-lock';
import { createOctokitFactory, type GitHubCredentials } from './octokit-factory';
import { readChecks } from './checks';
import { readPullRequest } from './pull-request';
import { reportPreview } from './report-preview';

/** The context's settings (clock, logger and status context have defaults), and how to reach GitHub. */
export type GitHubActivityDeps = Partial<Pick<GitHubContext, 'clock' | 'logger' | 'statusContext' | 'commandPrefix' | 'cliName' | 'budget' | 'workflowUrl'>> & {
  /** `https://api.github.com` (default), or `https://<host>/api/v3` for GitHub Enterprise Server. */
  readonly apiBaseUrl?: string;
  readonly requestTimeoutMs?: number;
} & ({ readonly auth: GitHubCredentials } | { readonly octokit: OctokitFactory });

function secretsOf(deps: GitHubActivityDeps): string[] {
  if (!('auth' in deps)) return [];
  return deps.auth.type === 'token' ? [deps.auth.token] : [deps.auth.privateKey];
}

/** GitHub reporting, the PR's changed files and its image lock file, bound to one set of credentials and one API. */
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
    /** The PR's image lock file at the head SHA, checked against the configured services. */
    resolveImages: (input: ResolveImagesInput): Promise<ResolveImagesResult> => resolveImages(ctx, input),
    /** A preview database's bootstrap SQL at the head commit, refused above `maxBytes` before it is downloaded. */
    fetchBootstrapSql: (input: FetchBootstrapSqlInput, maxBytes: number): Promise<FetchBootstrapSqlResult> => fetchBootstrapSql(ctx, maxBytes, input),
    /** The PR as the API answers now, confirmed by the workflow before it provisions or deploys. */
    readPullRequest: (input: ReadPullRequestInput): Promise<PullRequestReading> => readPullRequest(ctx, input.preview, input.since),
    /** The head SHA's check runs and commit statuses of the gate's names. */
    readChecks: (input: ReadChecksInput): Promise<ChecksReading> => readChecks(ctx, input),
  } satisfies Pick<PreviewActivities, 'reportPreview' | 'resolveImages' | 'readPullRequest' | 'readChecks'> & Record<string, unknown>;
}

export type GitHubActivities = ReturnType<typeof createGitHubActivities>;
