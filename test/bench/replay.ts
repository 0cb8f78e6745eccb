import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../src/worker';
import { historyFiles, loadHistory, type LoadedHistory } from '../replay';
import { summarize, type Section } from './figures';

// What CI pays to replay every recorded lifecycle history (test/replay): per history and per
// second, after one warm-up round. Each history's recorded duration (first to last event) is
// the baseline: replay re-runs the workflow code without any of the waiting.

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

function eventMillis(event: unknown): number {
  const time = (event as { eventTime?: { seconds?: { toNumber?: () => number } | number; nanos?: number } }).eventTime;
  const seconds = typeof time?.seconds === 'number' ? time.seconds : (time?.seconds?.toNumber?.() ?? 0);
  return seconds * 1000 + (time?.nanos ?? 0) / 1e6;
}

function recordedMs(h: LoadedHistory): number {
  const events = (h.history as { events?: unknown[] }).events ?? [];
  return events.length > 1 ? eventMillis(events.at(-1)) - eventMillis(events[0]) : 0;
}

/** Replays every history once; returns each one's replay time (gap between results) and the total. */
async function replayRound(bundle: WorkflowBundle, histories: readonly LoadedHistory[]): Promise<{ perHistory: number[]; totalMs: number }> {
  const perHistory: number[] = [];
  const started = performance.now();
  let last = started;
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    if (result.error) throw new Error(`replay of ${result.workflowId} failed: ${result.error.message}`);
    const now = performance.now();
    perHistory.push(now - last);
    last = now;
  }
  return { perHistory, totalMs: performance.now() - started };
}

export async function measureReplay(rounds: number): Promise<Section> {
  const histories = historyFiles().map(loadHistory);
  const bundleStarted = performance.now();
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  const bundleMs = performance.now() - bundleStarted;
  await replayRound(bundle, histories);
  const times: number[] = [];
  let totalMs = 0;
  for (let r = 0; r < rounds; r++) {
    const round = await replayRound(bundle, histories);
    times.push(...round.perHistory);
    totalMs += round.totalMs;
  }
  const replayed = histories.length * rounds;
  const perHistory = summarize(times);
  const meanMs = totalMs / replayed;
  const recordedMean = histories.reduce((sum, h) => sum + recordedMs(h), 0) / histories.length;
  const events = histories.reduce((sum, h) => sum + ((h.history as { events?: unknown[] }).events?.length ?? 0), 0);
  return {
    id: 'replay',
    title: 'Replay of the recorded lifecycle histories',
    method: [
      `${histories.length} histories in test/histories (${events} events in all), Worker.runReplayHistories against one bundle of workflows/, as test/replay does`,
      `1 warm-up round, then ${rounds} measured rounds; per-history time = gap between consecutive replay results (the first includes the replay worker's start)`,
      'baseline: the recorded run time of each history (its last event time minus its first)',
    ],
    figures: [
      { name: 'replay time per history (mean)', value: meanMs, unit: 'ms', ratio: { value: meanMs / recordedMean, to: `recorded run time (mean ${(recordedMean / 1000).toFixed(1)} s)` } },
      { name: 'replay time per history p50', value: perHistory.p50, unit: 'ms' },
      { name: 'replay time per history max', value: perHistory.max, unit: 'ms' },
      { name: 'replay throughput', value: (replayed / totalMs) * 1000, unit: 'histories/s' },
      { name: 'bundling workflows/ (once per replay run)', value: bundleMs, unit: 'ms' },
    ],
  };
}
