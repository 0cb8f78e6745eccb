import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import { readHistoryFile } from '../../src/cli/commands/replay';

// A recorded history file: the workflow id and scenario beside the history in the JSON form
// every Temporal tool reads (`temporal workflow show --output json`, historyToJSON). A bare
// history (`{"events": [...]}`) is accepted too, with the file name as workflow id. Read by
// previewctl's own reader, so CI and `previewctl replay <files…>` accept the same files.

export const HISTORIES_DIR = resolve(__dirname, '../histories');

export interface RecordedHistoryFile {
  readonly workflowId: string;
  readonly scenario: string;
  readonly description: string;
  /** Which run of the workflow (1 = first; continue-as-new adds runs). */
  readonly run: number;
  readonly recordedAt: string;
  readonly sdkVersion: string;
  readonly history: unknown;
}

export interface LoadedHistory extends HistoryAndWorkflowId {
  readonly file: string;
}

export function historyFiles(dir = HISTORIES_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

export function loadHistory(file: string): LoadedHistory {
  return readHistoryFile(file);
}
