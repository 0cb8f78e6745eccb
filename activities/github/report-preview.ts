import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../workflows/contract';
import type { ReportSnapshot } from '../../src/github';
import { setCommitStatus } from './commit-status';
import { syncDeployment } from './deployment';
import type { GitHubContext } from './github-context';
import { upsertStickyComment } from './sticky-comment';

// The three parts of a report are independent: a missing Deployments permission must not cost
// the PR its comment. Each runs (one after another, as GitHub asks integrations to), and the
// attempt fails afterwards if any part failed:
// - a rate limit anywhere → retryable, after the longest wait GitHub asked for;
// - otherwise any outage → retryable with the policy's backoff;
// - otherwise (only permission/validation problems) → non-retryable, with every message.
// Retrying repeats all parts; each is idempotent (an unchanged comment or deployment status is
// not written again).

const PARTS = [
  ['commit status', setCommitStatus],
  ['deployment', syncDeployment],
  ['comment', upsertStickyComment],
] as const;

function combine(failures: readonly { part: string; failure: ApplicationFailure }[]): ApplicationFailure {
  const message = failures.map((f) => `${f.part}: ${f.failure.message}`).join(' | ');
  const rateLimited = failures.filter((f) => f.failure.type === FailureType.GitHubRateLimited);
  if (rateLimited.length > 0) {
    const delays = rateLimited.map((f) => Number((f.failure.details?.[0] as { delayMs?: number } | undefined)?.delayMs ?? 0));
    return ApplicationFailure.create({ type: FailureType.GitHubRateLimited, message, nextRetryDelay: Math.max(...delays) });
  }
  const transient = failures.find((f) => !f.failure.nonRetryable);
  if (transient) return ApplicationFailure.create({ type: transient.failure.type ?? FailureType.GitHubUnavailable, message });
  return ApplicationFailure.create({ type: failures[0]?.failure.type ?? FailureType.GitHubPermission, message, nonRetryable: true });
}

function asFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  return ApplicationFailure.retryable(err instanceof Error ? err.message : String(err), FailureType.GitHubUnavailable);
}

export async function reportPreview(ctx: GitHubContext, report: ReportSnapshot): Promise<void> {
  const failures: { part: string; failure: ApplicationFailure }[] = [];
  for (const [part, run] of PARTS) {
    try {
      await run(ctx, report);
    } catch (err) {
      const failure = asFailure(err);
      failures.push({ part, failure });
      ctx.logger.warn(`GitHub report: ${part} failed`, { repository: report.preview.repository, pr: report.preview.prNumber, type: failure.type, error: failure.message });
    }
  }
  if (failures.length === 0) return;
  // One failure keeps its own type, message and retry delay as they are.
  throw failures.length === 1 ? (failures[0] as { failure: ApplicationFailure }).failure : combine(failures);
}
