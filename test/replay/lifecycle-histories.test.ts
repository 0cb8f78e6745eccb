import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { historyFiles, loadHistory, type LoadedHistory } from './history-files';
import { SCENARIOS } from './scenarios';
import { bundleContents, quietLogger, quietTemporalLogs } from '../workflows/support';

// Every recorded lifecycle history must replay against the current workflow code: a change
// that would break running previews fails here, before it is deployed. Histories are never
// re-recorded to make this pass (docs/replay-policy.md). The code replayed is the prebuilt
// bundle file the image ships, built by the image's own step (scripts/bundle-workflows.mjs,
// part of `npm run build`), and loaded the way the worker loads it (`workflowBundle: { codePath }`).

/** Runs the build's bundling step into a temporary file, as `npm run build` does into dist/. */
function buildShippedBundle(): string {
  const codePath = join(mkdtempSync(join(tmpdir(), 'previewd-replay-')), 'workflow-bundle.js');
  execFileSync(process.execPath, [resolve(__dirname, '../../scripts/bundle-workflows.mjs'), codePath], { stdio: ['ignore', 'ignore', 'inherit'] });
  return codePath;
}

const histories: LoadedHistory[] = historyFiles().map(loadHistory);

async function replayErrors(workflowBundle: WorkflowBundleOption): Promise<Map<string, string>> {
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
  let codePath: string;
  beforeAll(() => {
    quietTemporalLogs();
    codePath = buildShippedBundle();
  });

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
    const errors = await replayErrors({ codePath });
    expect(Object.fromEntries(errors)).toEqual({});
  });

  // Every run evaluates the bundle's modules in a sandbox of its own, so a library in the bundle
  // is paid per cached preview. zod was (452 KiB, 18 modules; `PREVIEWD_BENCH_ONLY=sandbox npm
  // run bench`); the lint rule keeps imports out, this checks what webpack actually bundled.
  it('replay with a bundle that holds no zod, and no package but the Temporal SDK\'s', () => {
    const { modules } = bundleContents(readFileSync(codePath, 'utf8'));
    expect(modules.length).toBeGreaterThan(50);
    expect(modules.filter((m) => m.owner === 'zod').map((m) => m.path)).toEqual([]);
    const packages = new Set(modules.filter((m) => m.path.includes('node_modules/')).map((m) => m.owner));
    expect([...packages].sort()).toEqual(['@temporalio/common', '@temporalio/workflow', 'long', 'ms', 'nexus-rpc']);
  });

  it('fail replay against an incompatibly changed workflow (the check can fail)', async () => {
    const changed = await bundleWorkflowCode({ workflowsPath: resolve(__dirname, 'fixtures/changed-lifecycle.ts'), logger: quietLogger });
    const errors = await replayErrors(changed);
    expect(errors.size).toBe(histories.length);
  });
});
