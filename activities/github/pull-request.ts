import type { Octokit } from '@octokit/rest';
import type { PullRequestReading } from '../../workflows/contract';
import { newestDestroyCommand, splitRepository, type DestroyCommandSeen, type PreviewIdentity } from '../../src/github';
import { githubCall } from './github-call';
import type { GitHubContext } from './github-context';

/** Comments since the creating event are few; past this many pages the newest are not read (1,000 comments). */
const MAX_COMMENT_PAGES = 10;

/**
 * The pull request as the REST API answers now: what the workflow confirms before it provisions
 * or deploys. With `since`, also the newest `/preview destroy` written since then (its webhook may
 * have found no run to end).
 */
export function readPullRequest(ctx: GitHubContext, preview: PreviewIdentity, since?: string): Promise<PullRequestReading> {
  return githubCall(ctx, 'pullRequest', preview.repository, async (octokit) => {
    const { data } = await octokit.rest.pulls.get({ ...splitRepository(preview.repository), pull_number: preview.prNumber });
    const destroyCommand = since === undefined ? undefined : await destroyCommandSince(octokit, preview, since);
    return {
      configured: true,
      state: data.state === 'closed' ? 'closed' : 'open',
      draft: data.draft === true,
      labels: data.labels.map((l) => l.name),
      headSha: data.head.sha,
      updatedAt: data.updated_at,
      ...(destroyCommand && { destroyCommand }),
    };
  });
}

async function destroyCommandSince(octokit: Octokit, preview: PreviewIdentity, since: string): Promise<DestroyCommandSeen | undefined> {
  let pages = 0;
  // `since` filters by updated_at, so edited older comments come too: newestDestroyCommand filters by created_at.
  const comments = await octokit.paginate(
    octokit.rest.issues.listComments,
    { ...splitRepository(preview.repository), issue_number: preview.prNumber, since, per_page: 100 },
    (response, done) => {
      if (++pages >= MAX_COMMENT_PAGES) done();
      return response.data;
    },
  );
  return newestDestroyCommand(comments, since);
}
