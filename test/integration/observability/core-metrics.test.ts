import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../../src/dev/free-ports';
import { startWorkerProcess, type WorkerProcess } from '../../bench/worker-process';
import { writeBenchConfig } from '../../bench/bench-config';
import { devServerClient, harnessState, uniqueId } from '../../harness';
import { testClusterInput } from '../kubernetes/support';
import type { Client, Connection } from '@temporalio/client';
import { PREVIEW_WORKFLOW_TYPE } from '../../../workflows/contract';

// The worker process as deployed (src/worker/main.ts, its own Temporal runtime) serves the
// Temporal Core SDK's metrics on its /metrics, with Prometheus naming: `_total` counters, unit
// suffixes, durations in seconds. A separate process: the SDK's runtime is one per process, and
// a test file shares its process with others that created it first.

let dir: string;
let worker: WorkerProcess | undefined;
let metricsUrl: string;
let connection: Connection;
let client: Client;
let taskQueue: string;

beforeAll(async () => {
  const { temporal, kube } = harnessState();
  ({ client, connection } = await devServerClient());
  dir = mkdtempSync(join(tmpdir(), 'previewd-core-metrics-'));
  const [httpPort, corePort] = (await freePorts(2)) as [number, number];
  taskQueue = uniqueId('core-metrics');
  const configFile = join(dir, 'config.yaml');
  writeBenchConfig(
    {
      temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue },
      kubernetes: { kubeconfig: kube.kubeconfig },
      cluster: testClusterInput(),
      repositories: [],
      log: { level: 'warn' },
      worker: { host: '127.0.0.1', port: httpPort, coreMetricsPort: corePort, clusterWatch: false },
      janitor: { enabled: false },
    },
    configFile,
  );
  worker = await startWorkerProcess({ configFile, logFile: join(dir, 'worker.log'), connection, namespace: temporal.namespace, taskQueue });
  metricsUrl = `http://127.0.0.1:${httpPort}/metrics`;
}, 240_000);

afterAll(async () => {
  await worker?.stop();
  await connection?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl);
  expect(res.status).toBe(200);
  return res.text();
}

test('the worker /metrics carries previewd metrics and Core SDK metrics with Prometheus naming', async () => {
  // One workflow task, so the sticky cache and schedule-to-start latency have values: input
  // the workflow refuses at once (no activities, no cluster).
  const handle = await client.workflow.start(PREVIEW_WORKFLOW_TYPE, { taskQueue, workflowId: uniqueId('core-metrics'), args: [{}] });
  await expect(handle.result()).rejects.toThrow();
  // Core exports on its own schedule; give it a few scrapes.
  let text = '';
  for (let i = 0; i < 40; i++) {
    text = await scrape();
    if (/^temporal_worker_task_slots_available\{/m.test(text) && /^temporal_sticky_cache_size[{ ]/m.test(text) && /schedule_to_start_latency_seconds/.test(text)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const names = new Set([...text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)].map((m) => m[1]));
  // previewd's own, and Node's process metrics
  expect(names).toContain('previewd_worker_process_resident_memory_bytes');
  // Core: available slots by worker type, the sticky cache, schedule-to-start latency in seconds
  expect(text).toMatch(/^temporal_worker_task_slots_available\{[^}]*worker_type="WorkflowWorker"/m);
  expect(text).toMatch(/^temporal_worker_task_slots_available\{[^}]*worker_type="ActivityWorker"/m);
  expect(names).toContain('temporal_sticky_cache_size');
  expect([...names].some((n) => /^temporal_workflow_task_schedule_to_start_latency_seconds_(bucket|sum|count)$/.test(n ?? ''))).toBe(true);
  // Counters end in _total, and no duration is in milliseconds.
  expect([...names].some((n) => /^temporal_.*_total$/.test(n ?? ''))).toBe(true);
  expect([...names].filter((n) => /_milliseconds/.test(n ?? ''))).toEqual([]);
}, 60_000);

test("the worker /metrics serves the seed's metrics under the names issue 16 gives them", async () => {
  const text = await scrape();
  const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
  const expected = {
    previewd_preview_create_duration_seconds: 'histogram',
    previewd_preview_delete_duration_seconds: 'histogram',
    previewd_step_errors_total: 'counter',
    previewd_ai_requests_total: 'counter',
    previewd_ai_request_duration_seconds: 'histogram',
    previewd_ai_tokens_total: 'counter',
  };
  expect(Object.fromEntries(Object.keys(expected).map((name) => [name, types.get(name)]))).toEqual(expected);
  // The request outcomes and token kinds exist from the start (rate() over them is 0, not absent).
  expect(text).toMatch(/^previewd_ai_requests_total\{outcome="cached"\} 0$/m);
  expect(text).toMatch(/^previewd_ai_tokens_total\{kind="prompt"\} 0$/m);
}, 60_000);
