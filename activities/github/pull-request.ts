import type { PullRequestReading } from '../../workflows/contract';
import { splitRepository, type PreviewIdentity } from '../../src/github';
import { githubCall } from './github-call';
import type { GitHubContext } from './github-context';

/** The pull request as the REST API answers now: what the workflow confirms before it provisions or deploys. */
export function readPullRequest(ctx: GitHubContext, preview: PreviewIdentity): Promise<PullRequestReading> {
  return githubCall(ctx, 'pullRequest', preview.repository, async (octokit) => {
    const { data } = await octokit.rest.pulls.get({ ...splitRepository(preview.repository), pull_number: preview.prNumber });
    return {
      configured: true,
      state: data.state === 'closed' ? 'closed' : 'open',
      draft: data.draft === true,
      labels: data.labels.map((l) => l.name),
      headSha: data.head.sha,
      updatedAt: data.updated_at,
    };
  });
}
