import type { Octokit } from '@octokit/rest';
import type { Logger } from '@temporalio/common';
import type { BudgetPolicy } from '../../src/config/cost';
import type { Clock } from '../clock';

/** An authenticated client for one repository (App installations differ per owner). */
export type OctokitFactory = (repository: string) => Promise<Octokit>;

/** What every GitHub activity is built from. */
export interface GitHubContext {
  readonly octokitFor: OctokitFactory;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Strings that must never appear in an error message or log line (token, private key). */
  readonly secrets: readonly string[];
  /** Commit status context (`previewd`). */
  readonly statusContext: string;
  /** PR comment commands as the ingress parses them (default `/preview`). */
  readonly commandPrefix?: string;
  readonly cliName?: string;
  /** Per-preview budget: an overrun is shown in the PR comment. */
  readonly budget?: BudgetPolicy;
  /** Link to a workflow run, e.g. the Temporal UI's `…/namespaces/<ns>/workflows/<id>`, for commit status targets and the comment. */
  readonly workflowUrl?: (workflowId: string) => string;
}
