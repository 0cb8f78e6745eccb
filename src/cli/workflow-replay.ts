import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { WORKFLOWS_PATH } from '../worker/create-worker';
import type { CliContext } from './cli-context';
import { CliError, EXIT } from './cli-io';

// What `previewctl replay` does with a history, whether it came from a file or from a live run:
// feed it to the SDK's replay worker against one workflow code, and say whether the code makes
// the same decisions. Shared by the file and the live mode, so both judge and explain alike.

/** The workflow code to replay against: a prebuilt bundle file (what the image ships) or a workflows module bundled now. */
export interface ReplayCode {
  /** For the summary line: which code the histories were replayed against. */
  readonly label: string;
  readonly options: Pick<ReplayWorkerOptions, 'workflowsPath' | 'workflowBundle'>;
}

export interface ReplayCodeOptions {
  readonly workflows?: string;
  readonly bundle?: string;
}

export function replayCode(options: ReplayCodeOptions): ReplayCode {
  if (options.workflows !== undefined && options.bundle !== undefined) throw new CliError('give --workflows or --bundle, not both', EXIT.usage);
  if (options.bundle !== undefined) {
    const codePath = resolve(options.bundle);
    if (!existsSync(codePath)) throw new CliError(`no workflow bundle at ${codePath} (scripts/bundle-workflows.mjs writes one; the image ships dist/workflow-bundle.js)`, EXIT.usage);
    return { label: `the bundle ${codePath}`, options: { workflowBundle: { codePath } } };
  }
  const workflowsPath = options.workflows === undefined ? WORKFLOWS_PATH : resolve(options.workflows);
  return { label: workflowsPath, options: { workflowsPath } };
}

export type ReplayVerdict =
  | { readonly kind: 'ok' }
  /** The code decides differently from the history: `reason` is Core's first mismatch, `eventId` the history event it stopped at. */
  | { readonly kind: 'diverged'; readonly reason: string; readonly eventId?: number }
  /** The replay could not run the workflow at all (an unknown workflow type, a failing workflow task). */
  | { readonly kind: 'failed'; readonly reason: string };

/** Core's one-line reason (`No command scheduled for event HistoryEvent(id: 5, TimerStarted)`), else the whole message. */
function nondeterminismReason(message: string): string {
  return /\[TMPRL1100\] Nondeterminism error: ([^"]+)/.exec(message)?.[1]?.trim() ?? message;
}

export function verdictOf(error: Error | undefined): ReplayVerdict {
  if (!error) return { kind: 'ok' };
  if (!(error instanceof DeterminismViolationError)) return { kind: 'failed', reason: error.message };
  const reason = nondeterminismReason(error.message);
  const eventId = /HistoryEvent\(id: (\d+)/.exec(reason)?.[1];
  return { kind: 'diverged', reason, ...(eventId !== undefined && { eventId: Number(eventId) }) };
}

/** One line for a failed verdict, after the run's name. */
export function describeVerdict(verdict: Exclude<ReplayVerdict, { kind: 'ok' }>): string {
  if (verdict.kind === 'failed') return `replay error: ${verdict.reason}`;
  return `nondeterminism${verdict.eventId === undefined ? '' : ` at event ${verdict.eventId}`}: ${verdict.reason}`;
}

export const PATCH_ADVICE =
  'The current workflow code makes different decisions than the code that recorded this history, so a running preview with this history would fail on its next task. ' +
  'Keep the old path for existing runs with patched()/deprecatePatch(), or ship the change as a new workflow type; do not re-record the history to make this pass (docs/replay-policy.md).';

/**
 * The SDK logs each nondeterminism as a raw WARN line from its core; previewctl explains it
 * instead. Only possible before anything else in the process used the SDK (always so in the
 * bin; a host process that already runs workers keeps its own logging).
 */
function quietSdkLogs(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  } catch {
    // Already installed by the host process.
  }
}

/**
 * Replays each history in turn (one replay worker, histories read lazily) and yields it with its
 * verdict. The SDK replays one history at a time and yields one result each, in order; several
 * histories may share a workflow id (the runs of a continue-as-new chain), so they are paired
 * by position, and each is dropped once judged.
 */
export async function* replayEach<T extends HistoryAndWorkflowId>(code: ReplayCode, histories: AsyncIterable<T> | Iterable<T>): AsyncGenerator<{ readonly subject: T; readonly verdict: ReplayVerdict }> {
  quietSdkLogs();
  const pending: T[] = [];
  async function* fed(): AsyncGenerator<T> {
    for await (const history of histories) {
      pending.push(history);
      yield history;
    }
  }
  for await (const result of Worker.runReplayHistories({ ...code.options, replayName: 'previewctl-replay' }, fed())) {
    const subject = pending.shift();
    if (subject) yield { subject, verdict: verdictOf(result.error) };
  }
}

/** The closing line, and exit 1 (with the advice) when any history did not replay. */
export function replaySummary(ctx: CliContext, what: string, counts: { readonly replayed: number; readonly failed: number }, code: ReplayCode): void {
  ctx.io.out(`${counts.replayed} ${what} replayed against ${code.label}: ${counts.replayed - counts.failed} ok, ${counts.failed} failed`);
  if (counts.failed > 0) throw new CliError(`${counts.failed} of ${counts.replayed} ${what} do not replay against this workflow code. ${PATCH_ADVICE}`, EXIT.failed);
}
