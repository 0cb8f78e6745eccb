import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { CliContext } from '../cli-context';
import { pullRequestArg } from '../pull-request-arg';
import { orNoPreview } from '../temporal-failures';

// `previewctl history export <owner/repo> <pr> [--run-id] [-o file]`: the run's event history
// in Temporal's JSON form (what `temporal workflow show -o json` and the UI download), ready
// for `previewctl replay` in CI.

export async function historyExportCommand(ctx: CliContext, repository: string, pr: string, options: { runId?: string; output?: string }): Promise<string> {
  const ref = pullRequestArg(repository, pr, ctx.config());
  const client = await ctx.client();
  const history = await orNoPreview(ref, () => client.workflow.getHandle(ref.workflowId, options.runId).fetchHistory());
  const json = historyToJSON(history);
  if (options.output) {
    writeFileSync(options.output, `${json}\n`);
    ctx.io.out(`wrote ${history.events?.length ?? 0} events of ${ref.workflowId} to ${options.output}`);
  } else ctx.io.out(json);
  return json;
}
