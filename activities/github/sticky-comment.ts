import type { Octokit } from '@octokit/rest';
import { checkBudget } from '../../src/cost';
import { isStickyComment, renderPreviewComment, splitRepository, type ReportSnapshot, type RepositoryName } from '../../src/github';
import { githubCall } from './github-call';
import type { GitHubContext } from './github-context';

// One comment per PR, found by its marker and edited in place. Reports are sent one at a time
// by the workflow, and every attempt looks for the comment before creating it, so a retry after
// a lost response finds the comment it created instead of adding a second one.

async function findComment(octokit: Octokit, repo: RepositoryName, report: ReportSnapshot): Promise<{ id: number; body?: string } | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { ...repo, issue_number: report.preview.prNumber, per_page: 100 });
  for await (const { data } of pages) {
    const found = data.find((c) => isStickyComment(c.body, report.preview));
    if (found) return found;
  }
  return undefined;
}

export function renderComment(ctx: GitHubContext, report: ReportSnapshot): string {
  return renderPreviewComment(report, {
    commandPrefix: ctx.commandPrefix,
    cliName: ctx.cliName,
    logUrl: ctx.workflowUrl?.(report.workflowId),
    budget: report.cost && ctx.budget ? checkBudget(report.cost, ctx.budget) : undefined,
  });
}

export function upsertStickyComment(ctx: GitHubContext, report: ReportSnapshot): Promise<void> {
  const repo = splitRepository(report.preview.repository);
  const body = renderComment(ctx, report);
  return githubCall(ctx, 'comment', report.preview.repository, async (octokit) => {
    const existing = await findComment(octokit, repo, report);
    if (existing?.body === body) return;
    if (existing) {
      try {
        await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
        return;
      } catch (err) {
        // Deleted by someone between the lookup and the edit: write a new one.
        if ((err as { status?: number }).status !== 404) throw err;
      }
    }
    await octokit.rest.issues.createComment({ ...repo, issue_number: report.preview.prNumber, body });
  });
}
