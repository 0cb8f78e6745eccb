import { resolve } from 'node:path';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { historyFiles, loadHistory, type LoadedHistory } from './history-files';
import { SCENARIOS } from './scenarios';
import { bundlePreviewWorkflows, quietLogger, quietTemporalLogs } from '../workflows/support';

// Every recorded lifecycle history must replay against the current workflow code: a change
// that would break running previews fails here, before it is deployed. Histories are never
// re-recorded to make this pass (docs/replay-policy.md).

const histories: LoadedHistory[] = historyFiles().map(loadHistory);

async function replayErrors(workflowBundle: WorkflowBundle): Promise<Map<string, string>> {
  const errors = new Map<string, string>();
  const byRun = new Map(histories.map((h) => [h.workflowId, h.file]));
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
    replayed++;
    if (result.error) errors.set(`${byRun.get(result.workflowId) ?? result.workflowId} (run ${result.runId})`, result.error.message);
  }
  expect(replayed).toBe(histories.length);
  return errors;
}

describe('recorded lifecycle histories', () => {
  beforeAll(() => quietTemporalLogs());

  it('cover every scenario, and each is a complete previewLifecycle run', () => {
    expect(histories.length).toBeGreaterThanOrEqual(6);
    const scenarios = new Set(historyFiles().map((f) => /([^/]+?)(\.run-\d+)?\.json$/.exec(f)?.[1]));
    expect([...scenarios].sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
    for (const { file, history } of histories) {
      const events = (history as { events?: { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[] }).events ?? [];
      expect({ file, type: events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name }).toEqual({ file, type: 'previewLifecycle' });
      const last = events.at(-1) as Record<string, unknown> | undefined;
      const closed = ['workflowExecutionCompletedEventAttributes', 'workflowExecutionContinuedAsNewEventAttributes'].some((k) => last?.[k]);
      expect({ file, closed }).toEqual({ file, closed: true });
    }
  });

  it('replay against the current workflow code without a determinism error', async () => {
    const errors = await replayErrors(await bundlePreviewWorkflows());
    expect(Object.fromEntries(errors)).toEqual({});
  });

  it('fail replay against an incompatibly changed workflow (the check can fail)', async () => {
    const changed = await bundleWorkflowCode({ workflowsPath: resolve(__dirname, 'fixtures/changed-lifecycle.ts'), logger: quietLogger });
    const errors = await replayErrors(changed);
    expect(errors.size).toBe(histories.length);
  });
});
