import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { WORKFLOWS_PATH } from '../../worker/create-worker';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-io';

// `previewctl replay <files…>`: replays recorded histories against the current workflow code,
// the check that keeps a deploy from breaking running previews. Non-zero exit on any mismatch.

interface RecordedHistory {
  readonly file: string;
  readonly workflowId: string;
  readonly history: History;
}

/** A history file: Temporal's JSON export, or `{ workflowId, history }` around it. */
function readHistory(file: string): RecordedHistory {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read history ${file}: ${(err as Error).message}`, EXIT.usage);
  }
  const wrapped = parsed as { workflowId?: unknown; history?: unknown };
  const raw = wrapped && typeof wrapped === 'object' && 'history' in wrapped ? wrapped.history : parsed;
  try {
    const history = historyFromJSON(raw);
    if (!history.events?.length) throw new Error('no events');
    return { file, workflowId: typeof wrapped.workflowId === 'string' ? wrapped.workflowId : basename(file, '.json'), history };
  } catch (err) {
    throw new CliError(`${file} is not a Temporal history export: ${(err as Error).message}`, EXIT.usage);
  }
}

/** The core's one-line reason (`No command scheduled for event HistoryEvent(id: 5, TimerStarted)`), else the whole message. */
function nondeterminismReason(message: string): string {
  return /\[TMPRL1100\] Nondeterminism error: ([^"]+)/.exec(message)?.[1]?.trim() ?? message;
}

const PATCH_ADVICE =
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

export async function replayCommand(ctx: CliContext, files: readonly string[], options: { workflows?: string }): Promise<{ replayed: number; failed: number }> {
  if (files.length === 0) throw new CliError('replay needs at least one history file', EXIT.usage);
  const histories = files.map((f) => readHistory(resolve(f)));
  quietSdkLogs();
  const workflowsPath = options.workflows ? resolve(options.workflows) : WORKFLOWS_PATH;
  let failed = 0;
  const results = Worker.runReplayHistories({ workflowsPath, replayName: 'previewctl-replay' }, histories.map(({ workflowId, history }) => ({ workflowId, history })));
  // The SDK replays one history at a time and yields one result each, in order; several files
  // may share a workflow id (the runs of a continue-as-new chain), so pair them by position.
  let index = 0;
  for await (const result of results) {
    const file = histories[index++]?.file ?? result.workflowId;
    if (!result.error) {
      ctx.io.out(`ok    ${file}`);
      continue;
    }
    failed++;
    if (result.error instanceof DeterminismViolationError) {
      ctx.io.err(`FAIL  ${file}: nondeterminism: ${nondeterminismReason(result.error.message)}\n      ${PATCH_ADVICE}`);
    } else {
      ctx.io.err(`FAIL  ${file}: replay error\n      ${result.error.message}`);
    }
  }
  ctx.io.out(`${histories.length} histories replayed against ${workflowsPath}: ${histories.length - failed} ok, ${failed} failed`);
  if (failed > 0) throw new CliError(`${failed} of ${histories.length} histories do not replay against the current workflow code`, EXIT.failed);
  return { replayed: histories.length, failed };
}
