import { status } from '@grpc/grpc-js';
import { isGrpcServiceError, ServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { PREVIEW_WORKFLOW_TYPE } from '../../../workflows/contract';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-io';
import { describeVerdict, replayCode, replayEach, replaySummary, type ReplayCodeOptions, type ReplayVerdict } from '../workflow-replay';

// `previewctl replay --query '<visibility query>'`: the runs in production, replayed against the
// code about to be deployed. Lists the matching runs, fetches each history as it is replayed
// (one in memory at a time), prints a line per run and exits 1 when any diverges.

export const MAX_REPLAY_LIMIT = 10_000;

export interface LiveReplayOptions extends ReplayCodeOptions {
  readonly query: string;
  readonly limit: number;
}

interface LiveRun {
  readonly workflowId: string;
  readonly runId: string;
}

const LIFECYCLE_RUNS = `WorkflowType = '${PREVIEW_WORKFLOW_TYPE}'`;

/**
 * The query as sent: previewd's lifecycle runs unless the query chooses workflow types itself
 * (`WorkflowType = 'previewJanitor'`); an empty query means all of them.
 */
export function liveReplayQuery(query: string): string {
  const own = query.trim();
  if (/\bWorkflowType\b/.test(own)) return own;
  return own ? `${LIFECYCLE_RUNS} AND (${own})` : LIFECYCLE_RUNS;
}

function replayLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REPLAY_LIMIT) throw new CliError(`--limit must be a whole number from 1 to ${MAX_REPLAY_LIMIT}`, EXIT.usage);
  return limit;
}

/** The server's own words for a query it cannot read (INVALID_ARGUMENT), as a usage error. */
function invalidQuery(err: unknown, query: string): CliError | undefined {
  const cause = err instanceof ServiceError ? err.cause : err;
  if (!isGrpcServiceError(cause) || cause.code !== status.INVALID_ARGUMENT) return undefined;
  return new CliError(`invalid visibility query (${query}): ${cause.details || cause.message}`, EXIT.usage);
}

/** Up to `limit` runs, listed before any history is fetched, so a bad query fails before the replay worker starts. */
async function listRuns(client: Client, query: string, limit: number): Promise<{ runs: LiveRun[]; more: boolean }> {
  const runs: LiveRun[] = [];
  try {
    for await (const execution of client.workflow.list({ query, pageSize: Math.min(limit + 1, 1000) })) {
      if (runs.length === limit) return { runs, more: true };
      runs.push({ workflowId: execution.workflowId, runId: execution.runId });
    }
  } catch (err) {
    throw invalidQuery(err, query) ?? err;
  }
  return { runs, more: false };
}

/** Each run's history, fetched as the replay asks for it; a run deleted since it was listed (retention) is reported and skipped. */
async function* liveHistories(client: Client, runs: readonly LiveRun[], gone: (run: LiveRun) => void): AsyncGenerator<LiveRun & { history: History }> {
  for (const run of runs) {
    let history: History;
    try {
      history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      gone(run);
      continue;
    }
    yield { ...run, history };
  }
}

function runLine(run: LiveRun, verdict: ReplayVerdict): string {
  if (verdict.kind === 'ok') return `${run.workflowId}\t${run.runId}\tok`;
  return `${run.workflowId}\t${run.runId}\t${verdict.kind === 'diverged' ? 'diverged' : 'error'}\t${describeVerdict(verdict)}`;
}

export async function liveReplayCommand(ctx: CliContext, options: LiveReplayOptions): Promise<{ replayed: number; failed: number }> {
  const limit = replayLimit(options.limit);
  const code = replayCode(options);
  const query = liveReplayQuery(options.query);
  const client = await ctx.client();
  const { runs, more } = await listRuns(client, query, limit);
  if (runs.length === 0) {
    ctx.io.out(`no runs match (${query})`);
    return { replayed: 0, failed: 0 };
  }
  let replayed = 0;
  let failed = 0;
  const gone = (run: LiveRun) => ctx.io.out(`${run.workflowId}\t${run.runId}\tgone\t(deleted since it was listed; not replayed)`);
  for await (const { subject, verdict } of replayEach(code, liveHistories(client, runs, gone))) {
    replayed++;
    if (verdict.kind !== 'ok') failed++;
    ctx.io.out(runLine(subject, verdict));
  }
  if (more) ctx.io.out(`stopped at --limit ${limit}: more runs match`);
  const counts = { replayed, failed };
  replaySummary(ctx, `runs of (${query})`, counts, code);
  return counts;
}
