import { statusQuery, type PreviewStatus } from '../../../workflows/contract';
import { formatChecks, gatherFacts, verifyPreview, type VerificationCheck } from '../../verification';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-io';
import { pullRequestArg } from '../pull-request-arg';
import { orNoPreview } from '../temporal-failures';

// `previewctl verify <owner/repo> <pr>`: seed 000's verification plan against the live cluster
// and the preview's workflow, one row per check; exit 1 when any check fails. A workflow that
// cannot be queried is a failed check, not an abort: the cluster checks still run.

async function readStatus(ctx: CliContext, ref: { repository: string; number: number; workflowId: string }): Promise<PreviewStatus | { unavailable: string }> {
  try {
    const client = await ctx.client();
    return await orNoPreview(ref, () => client.workflow.getHandle(ref.workflowId).query(statusQuery));
  } catch (err) {
    return { unavailable: err instanceof Error ? err.message : String(err) };
  }
}

export async function verifyCommand(ctx: CliContext, repository: string, pr: string, options: { json?: boolean }): Promise<VerificationCheck[]> {
  const config = ctx.config();
  const ref = pullRequestArg(repository, pr, config);
  const repo = config.repositories.find((r) => r.fullName === ref.repository);
  if (!repo) throw new CliError(`${ref.repository} is not a configured repository (repositories[].fullName)`, EXIT.usage);
  if (!config.cluster) throw new CliError('the config has no cluster section: verify needs the cluster settings previewd deploys with', EXIT.usage);
  const preview = { repository: repo.fullName, repoKey: repo.key, prNumber: ref.number };
  const status = await readStatus(ctx, ref);
  const facts = await gatherFacts(ctx.kube(), { settings: config.cluster, repository: repo, preview, status });
  const checks = verifyPreview(facts);
  ctx.io.out(options.json ? JSON.stringify(checks, null, 2) : formatChecks(checks));
  const failed = checks.filter((c) => !c.ok).length;
  if (failed > 0) throw new CliError(`${failed} of ${checks.length} verification checks failed for ${ref.repository}#${ref.number}`, EXIT.failed);
  return checks;
}
