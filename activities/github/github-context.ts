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
  readonly statusContext: string;
  readonly commandPrefix?: string;
  readonly cliName?: string;
  readonly budget?: BudgetPolicy;
  /** Link to a workflow run (Temporal UI), for commit status targets and the comment. */
  readonly workflowUrl?: (workflowId: string) => string;
}
