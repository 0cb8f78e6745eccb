import { userInfo } from 'node:os';
import { destroySignal, type PreviewOutcome } from '../../../workflows/contract';
import type { CliContext } from '../cli-context';
import { pullRequestArg } from '../pull-request-arg';
import { orNoPreview } from '../temporal-failures';

// `previewctl destroy <owner/repo> <pr>`: the `destroy` signal; with --wait, until it is gone.

function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown user';
  }
}

export async function destroyCommand(ctx: CliContext, repository: string, pr: string, options: { reason?: string; wait?: boolean }): Promise<PreviewOutcome | undefined> {
  const ref = pullRequestArg(repository, pr, ctx.config());
  const client = await ctx.client();
  const handle = client.workflow.getHandle(ref.workflowId);
  const reason = options.reason ?? `previewctl destroy by ${whoAmI()}`;
  await orNoPreview(ref, () => handle.signal(destroySignal, { reason }));
  ctx.io.out(`destroy requested for ${ref.repository}#${ref.number} (${reason})`);
  if (!options.wait) return undefined;
  const outcome = (await handle.result()) as PreviewOutcome;
  ctx.io.out(`${ref.repository}#${ref.number} ${outcome.phase}: ${outcome.failureReason ?? outcome.reason}`);
  return outcome;
}
