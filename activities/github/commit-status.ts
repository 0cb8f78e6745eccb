import { commitStatusFor, splitRepository, type ReportSnapshot } from '../../src/github';
import { githubCall } from './github-call';
import type { GitHubContext } from './github-context';

/** The `previewd` commit status on the report's head SHA. A repeat of the same status is harmless. */
export function setCommitStatus(ctx: GitHubContext, report: ReportSnapshot): Promise<void> {
  const view = commitStatusFor(report, { logUrl: ctx.workflowUrl?.(report.workflowId) });
  return githubCall(ctx, 'commitStatus', report.preview.repository, async (octokit) => {
    await octokit.rest.repos.createCommitStatus({
      ...splitRepository(report.preview.repository),
      sha: report.headSha,
      state: view.state,
      context: ctx.statusContext,
      description: view.description,
      ...(view.targetUrl ? { target_url: view.targetUrl } : {}),
    });
  });
}
