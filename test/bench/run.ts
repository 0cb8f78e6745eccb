// `npm run bench`: measurements, never pass/fail timing. Figures are reported as ratios to a
// baseline measured in the same run, because these machines are noisy.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { startTemporalDevServer } from '../../src/dev/temporal-dev-server';
import { resolveBinaries } from '../harness/binaries';

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Raw signal-with-start latency and throughput: the baseline every ingress figure is divided by. */
async function signalWithStartBaseline(client: Client, n: number, concurrency: number): Promise<Figure[]> {
  const latencies: number[] = [];
  const started = Date.now();
  let next = 0;
  const run = async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      await client.workflow.signalWithStart('visibleWorkflow', {
        taskQueue: 'bench-no-worker',
        workflowId: `bench-sws-${started}-${i}`,
        args: ['bench'],
        signal: 'finish',
        signalArgs: [],
      });
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, run));
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return [
    { name: 'signal-with-start p50', value: percentile(latencies, 50), unit: 'ms' },
    { name: 'signal-with-start p99', value: percentile(latencies, 99), unit: 'ms' },
    { name: 'signal-with-start throughput', value: n / seconds, unit: 'req/s' },
  ];
}

async function timeSkippingFourHours(testServer: string): Promise<Figure[]> {
  const executable = testServer === 'sdk-download' ? { type: 'cached-download' as const } : { type: 'existing-path' as const, path: testServer };
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
  try {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'bench-timer',
      workflowsPath: resolve(__dirname, '../fixtures/workflows/timer.ts'),
    });
    const t = performance.now();
    const workflowMs = await worker.runUntil(env.client.workflow.execute('fourHourTimer', { taskQueue: 'bench-timer', workflowId: 'bench-timer' }));
    const wall = performance.now() - t;
    return [
      { name: '4 h timer under time skipping, wall', value: wall, unit: 'ms' },
      { name: 'time-skipping speed-up (workflow time / wall time)', value: workflowMs / wall, unit: 'x' },
    ];
  } finally {
    await env.teardown();
  }
}

async function main(): Promise<void> {
  const bin = resolveBinaries({ kube: false });
  const logDir = mkdtempSync(join(tmpdir(), 'previewd-bench-'));
  const server = await startTemporalDevServer({ cliPath: bin.temporalCli, logDir, ui: false });
  const connection = await Connection.connect({ address: server.address });
  const figures: Figure[] = [];
  try {
    const client = new Client({ connection, namespace: server.namespace });
    figures.push(...(await signalWithStartBaseline(client, 300, 16)));
    figures.push(...(await timeSkippingFourHours(bin.testServer)));
  } finally {
    await connection.close();
    await server.process.stop();
  }
  for (const f of figures) process.stdout.write(`${f.name.padEnd(55)} ${f.value.toFixed(2).padStart(10)} ${f.unit}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
