import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-io';
import { describeVerdict, replayCode, replayEach, replaySummary, type ReplayCodeOptions } from '../workflow-replay';

// `previewctl replay <files…>`: replays recorded histories against the current workflow code,
// the check that keeps a deploy from breaking running previews. Non-zero exit on any mismatch.
// (`--query`, replaying live runs instead of files, is replay-live.ts.)

export interface RecordedHistory {
  readonly file: string;
  readonly workflowId: string;
  readonly history: History;
}

/** A history file: Temporal's JSON export, or `{ workflowId, history }` around it (test/histories). */
export function readHistoryFile(file: string): RecordedHistory {
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

export async function replayCommand(ctx: CliContext, files: readonly string[], options: ReplayCodeOptions): Promise<{ replayed: number; failed: number }> {
  if (files.length === 0) throw new CliError('replay needs history files, or --query to replay live runs', EXIT.usage);
  const histories = files.map((f) => readHistoryFile(resolve(f)));
  const code = replayCode(options);
  let failed = 0;
  for await (const { subject, verdict } of replayEach(code, histories)) {
    if (verdict.kind === 'ok') {
      ctx.io.out(`ok    ${subject.file}`);
      continue;
    }
    failed++;
    ctx.io.err(`FAIL  ${subject.file}: ${describeVerdict(verdict)}`);
  }
  const counts = { replayed: histories.length, failed };
  replaySummary(ctx, 'histories', counts, code);
  return counts;
}
