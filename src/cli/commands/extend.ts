import { extendTtlUpdate, type ExtendResult } from '../../../workflows/contract';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-io';
import { pullRequestArg } from '../pull-request-arg';
import { orNoPreview, updateRejection } from '../temporal-failures';

// `previewctl extend <owner/repo> <pr> <duration>`: the `extendTtl` update, so the user learns
// the new expiry, or the validator's reason (past the hard cap, not a duration, tearing down).

export async function extendCommand(ctx: CliContext, repository: string, pr: string, by: string): Promise<ExtendResult> {
  const ref = pullRequestArg(repository, pr, ctx.config());
  const client = await ctx.client();
  try {
    const result = await orNoPreview(ref, () => client.workflow.getHandle(ref.workflowId).executeUpdate(extendTtlUpdate, { args: [{ by }] }));
    ctx.io.out(`${ref.repository}#${ref.number} now expires at ${result.expiresAt} (was ${result.previousExpiresAt}; hard cap ${result.hardCapAt})`);
    return result;
  } catch (err) {
    const reason = updateRejection(err);
    if (reason !== undefined) throw new CliError(`extend refused: ${reason}`, EXIT.failed);
    throw err;
  }
}
