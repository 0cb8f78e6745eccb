import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startTemporalDevServer } from '../../src/dev/temporal-dev-server';
import { bundleContents, byOwner, phaseIs, startPreview, untilStatus } from '../workflows/support';
import { summarize, type Figure, type Section } from './figures';
import { eventMillis, type HistoryEvent } from './timer-history';
import { sampleUsage, startWorkerProcess } from './worker-process';

// What one workflow sandbox costs: every run the worker starts (or brings back into its cache)
// evaluates the workflow bundle's modules in a fresh module cache, so whatever the bundle pulls
// in is paid per cached preview, in memory and in the first workflow task's CPU. Measured on
// its own, small and repeatable: the bundle's size and contents; then N previews started one
// at a time on a dev server (each brought to Ready before the next starts, so no first task
// waits behind another), their first workflow task's latency read from the histories' own
// timestamps, and the worker process's RSS with all N cached against the same worker idle.

const TASK_QUEUE = 'bench-sandbox';
const REPOSITORY = 'bench/sandbox';
const SETTLE_MS = 3_000;
const SAMPLE_SECONDS = 10;
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
const say = (line: string) => process.stdout.write(`bench: sandbox: ${line}\n`);

interface TaskTimes {
  /** First workflow task: started → completed (the sandbox is created in it). */
  readonly first: number;
  /** Every later workflow task of the same run. */
  readonly later: readonly number[];
}

function taskTimes(events: readonly HistoryEvent[]): TaskTimes {
  const spans: number[] = [];
  let started: number | undefined;
  for (const e of events) {
    if (e.workflowTaskStartedEventAttributes) started = eventMillis(e);
    else if (e.workflowTaskCompletedEventAttributes && started !== undefined) {
      spans.push(eventMillis(e) - started);
      started = undefined;
    }
  }
  return { first: spans[0] ?? Number.NaN, later: spans.slice(1) };
}

function bundleFigures(code: string): { figures: Figure[]; method: string } {
  const contents = bundleContents(code);
  const codeChars = contents.chars - contents.sourceMapChars;
  const owners = byOwner(contents.modules);
  const zod = owners.find((o) => o.owner === 'zod');
  return {
    figures: [
      { name: 'workflow bundle, whole file', value: contents.chars / 1024, unit: 'KiB' },
      { name: 'workflow bundle, code without the inline source map', value: codeChars / 1024, unit: 'KiB' },
      { name: 'workflow bundle, modules', value: contents.modules.length, unit: 'modules' },
      { name: 'workflow bundle, zod modules', value: zod?.modules ?? 0, unit: 'modules', note: zod ? `${(zod.chars / 1024).toFixed(0)} KiB` : undefined },
    ],
    method: `bundle contents (KiB of code, modules): ${owners
      .slice(0, 8)
      .map((o) => `${o.owner} ${(o.chars / 1024).toFixed(0)} (${o.modules})`)
      .join(', ')}`,
  };
}

export async function measureSandbox(temporalCli: string, workDir: string, previews: number): Promise<Section> {
  const bundleStarted = performance.now();
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quiet });
  const bundleMs = performance.now() - bundleStarted;
  const bundleFile = join(workDir, 'sandbox-workflow-bundle.js');
  writeFileSync(bundleFile, code);
  const bundle = bundleFigures(code);
  const logDir = join(workDir, 'logs');
  const server = await startTemporalDevServer({ cliPath: temporalCli, logDir, ui: false });
  const stops: (() => Promise<void>)[] = [() => server.process.stop()];
  try {
    const connection = await Connection.connect({ address: server.address });
    stops.unshift(() => connection.close());
    const client = new Client({ connection, namespace: server.namespace });
    const worker = await startWorkerProcess({
      entry: require.resolve('./sandbox-worker-entry'),
      execArgv: ['--expose-gc'],
      env: { SANDBOX_BENCH_ADDRESS: server.address, SANDBOX_BENCH_NAMESPACE: server.namespace, SANDBOX_BENCH_TASK_QUEUE: TASK_QUEUE, SANDBOX_BENCH_BUNDLE: bundleFile, SANDBOX_BENCH_CACHE: String(previews + 10) },
      logFile: join(logDir, 'sandbox-worker.log'),
      connection,
      namespace: server.namespace,
      taskQueue: TASK_QUEUE,
    });
    stops.unshift(() => worker.stop());
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const idle = await sampleUsage(worker, SAMPLE_SECONDS);
    const ids: string[] = [];
    const started = performance.now();
    for (let i = 0; i < previews; i++) {
      const handle = await startPreview(client, TASK_QUEUE, { repository: REPOSITORY, number: i + 1 });
      await untilStatus(handle, phaseIs('Ready'), `preview ${i + 1} Ready`, 60_000);
      ids.push(handle.workflowId);
    }
    const upSeconds = (performance.now() - started) / 1000;
    say(`${previews} previews Ready in ${upSeconds.toFixed(1)} s; sampling the worker for ${SAMPLE_SECONDS} s`);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const cached = await sampleUsage(worker, SAMPLE_SECONDS);
    const times = await Promise.all(ids.map(async (id) => taskTimes(((await client.workflow.getHandle(id).fetchHistory()).events ?? []) as HistoryEvent[])));
    const first = summarize(times.map((t) => t.first));
    const later = summarize(times.flatMap((t) => t.later));
    const perCachedMiB = (cached.rssMeanMiB - idle.rssMeanMiB) / previews;
    const heapPerCachedMiB = (cached.heapMeanMiB - idle.heapMeanMiB) / previews;
    return {
      id: 'sandbox',
      title: `Workflow sandbox cost: the bundle, and ${previews} cached previews`,
      method: [
        `bundleWorkflowCode of workflows/ (${(bundleMs / 1000).toFixed(1)} s), loaded as a prebuilt bundle by a worker process of its own (reused V8 context, cache ${previews + 10} so every preview stays cached, the workflow tests' activity doubles) on a dev server`,
        bundle.method,
        `${previews} previews (2 services in 2 rollout phases) started one at a time with signal-with-start of pull_request.opened, each brought to Ready before the next; workflow task latency = WorkflowTaskStarted → WorkflowTaskCompleted in the history (the first task creates the run's sandbox)`,
        `RSS and heap: process.memoryUsage() after a full GC in the worker process every second for ${SAMPLE_SECONDS} s, idle before the first preview and with all ${previews} cached; per cached preview = difference / ${previews}`,
      ],
      figures: [
        ...bundle.figures,
        { name: 'first workflow task of a run, p50', value: first.p50, unit: 'ms', ratio: { value: first.p50 / later.p50, to: `later workflow tasks p50 (${later.p50.toFixed(0)} ms)` } },
        { name: 'first workflow task of a run, p95', value: first.p95, unit: 'ms' },
        { name: 'first workflow task of a run, mean', value: first.mean, unit: 'ms' },
        { name: 'later workflow tasks, p50', value: later.p50, unit: 'ms' },
        { name: 'worker RSS idle (mean)', value: idle.rssMeanMiB, unit: 'MiB' },
        { name: `worker RSS, ${previews} cached previews (mean)`, value: cached.rssMeanMiB, unit: 'MiB', ratio: { value: cached.rssMeanMiB / idle.rssMeanMiB, to: 'idle worker' } },
        { name: 'worker RSS per cached preview', value: perCachedMiB * 1024, unit: 'KiB' },
        { name: 'worker JS heap per cached preview', value: heapPerCachedMiB * 1024, unit: 'KiB' },
        { name: `${previews} previews to Ready, one at a time`, value: upSeconds, unit: 's' },
      ],
    };
  } finally {
    for (const stop of stops) await stop().catch((err: unknown) => say(`stopping: ${String(err)}`));
  }
}

