import type { Octokit } from '@octokit/rest';
import type { GitHubOperation } from '../../src/github';
import type { GitHubContext } from './github-context';
import { toGitHubFailure } from './github-failure';

/** Runs one GitHub operation for a repository, turning its errors into classified Temporal failures. */
export async function githubCall<T>(ctx: GitHubContext, operation: GitHubOperation, repository: string, body: (octokit: Octokit) => Promise<T>): Promise<T> {
  try {
    return await body(await ctx.octokitFor(repository));
  } catch (err) {
    throw toGitHubFailure(err, { operation, repository, now: ctx.clock.now(), secrets: ctx.secrets });
  }
}

/** GitHub's 404: a missing file or commit, or a repository these credentials cannot see. */
export function isNotFound(err: unknown): boolean {
  return err instanceof Error && err.name === 'HttpError' && (err as { status?: unknown }).status === 404;
}
