import { statusQuery, type PreviewStatus } from '../../../workflows/contract';
import type { CliContext } from '../cli-context';
import { formatStatus } from '../format-status';
import { pullRequestArg } from '../pull-request-arg';
import { orNoPreview } from '../temporal-failures';

// `previewctl status <owner/repo> <pr>`: the workflow's status query.

export async function statusCommand(ctx: CliContext, repository: string, pr: string, options: { json?: boolean }): Promise<PreviewStatus> {
  const ref = pullRequestArg(repository, pr, ctx.config());
  const client = await ctx.client();
  const status = await orNoPreview(ref, () => client.workflow.getHandle(ref.workflowId).query(statusQuery));
  ctx.io.out(options.json ? JSON.stringify(status, null, 2) : formatStatus(status));
  return status;
}
