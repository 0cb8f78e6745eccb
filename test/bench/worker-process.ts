import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { CONFIG_FILE_ENV } from '../../src/config/env-vars';
import type { HeapSnapshotRequest, UsageSample } from './usage-ipc';

// Starts previewd's worker as its own process (test/bench/worker-entry.ts around
// src/worker/main.ts) and samples its memory and CPU. Only the config file configures it:
// PREVIEWD_* variables of the calling shell are not passed on, since they would override it.

export interface WorkerProcess {
  readonly pid: number;
  usage(): Promise<UsageSample>;
  /** Writes a V8 heap snapshot of the worker to `path` (resolves once written). */
  heapSnapshot(path: string): Promise<void>;
  stop(): Promise<void>;
}

export interface UsageWindow {
  readonly rssMeanMiB: number;
  readonly rssMaxMiB: number;
  readonly heapMeanMiB: number;
  readonly heapTotalMeanMiB: number;
  /** Outside the V8 heap but known to it: Buffers, native handles. */
  readonly externalMeanMiB: number;
  /** Percent of one core, averaged over the window. */
  readonly cpuPercent: number;
  readonly seconds: number;
}

const MiB = 2 ** 20;

/** What the container image sets for the processes (scripts/container/Dockerfile), so the worker's memory is measured as it runs deployed. */
const IMAGE_ENV = { MALLOC_ARENA_MAX: '2' };

function childEnv(configFile: string | undefined, extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PREVIEWD_')));
  return { ...env, ...IMAGE_ENV, ...(configFile !== undefined && { [CONFIG_FILE_ENV]: configFile }), ...extra };
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitForPoller(connection: Connection, namespace: string, taskQueue: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the worker process exited (${child.exitCode ?? child.signalCode}) before polling; ${logFile}:\n${logTail(logFile)}`);
    const res = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if ((res.pollers ?? []).length > 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the worker process did not poll ${taskQueue} within 180 s; ${logFile}:\n${logTail(logFile)}`);
}

export interface WorkerProcessOptions {
  /** previewd's config file (the default entry, src/worker/main.ts, reads it). */
  readonly configFile?: string;
  /** Another worker entry (a module of test/bench that calls answerUsageRequests()); default worker-entry.ts. */
  readonly entry?: string;
  /** Extra environment for that entry. */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra node options for the process (e.g. --expose-gc). */
  readonly execArgv?: readonly string[];
  readonly logFile: string;
  readonly connection: Connection;
  readonly namespace: string;
  readonly taskQueue: string;
}

export async function startWorkerProcess(opts: WorkerProcessOptions): Promise<WorkerProcess> {
  const log = openSync(opts.logFile, 'a');
  const child = fork(opts.entry ?? require.resolve('./worker-entry'), [], {
    execArgv: ['-r', '@swc-node/register', ...(opts.execArgv ?? [])],
    env: childEnv(opts.configFile, opts.env ?? {}),
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The worker answers requests in order, one message each.
  const waiting: ((m: unknown) => void)[] = [];
  child.on('message', (m) => waiting.shift()?.(m));
  const ask = (message: string | HeapSnapshotRequest) =>
    new Promise<unknown>((resolve, reject) => {
      waiting.push(resolve);
      if (!child.send(message)) reject(new Error('the worker process is gone'));
    });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const escalation = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(escalation);
  };
  try {
    await waitForPoller(opts.connection, opts.namespace, opts.taskQueue, child, opts.logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    pid: child.pid ?? -1,
    usage: async () => (await ask('usage')) as UsageSample,
    heapSnapshot: async (path) => {
      await ask({ heapSnapshot: path });
    },
    stop,
  };
}

/** Samples the worker every `intervalMs` for `seconds`; CPU is the average over the whole window. */
export async function sampleUsage(worker: WorkerProcess, seconds: number, intervalMs = 1_000): Promise<UsageWindow> {
  const samples: UsageSample[] = [await worker.usage()];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, Math.min(intervalMs, Math.max(0, end - Date.now()))));
    samples.push(await worker.usage());
  }
  const first = samples[0] as UsageSample;
  const last = samples.at(-1) as UsageSample;
  const cpuMicros = last.cpu.user + last.cpu.system - (first.cpu.user + first.cpu.system);
  const wallMs = last.at - first.at;
  const mean = (f: (s: UsageSample) => number) => samples.reduce((sum, s) => sum + f(s), 0) / samples.length;
  return {
    rssMeanMiB: mean((s) => s.rss) / MiB,
    rssMaxMiB: Math.max(...samples.map((s) => s.rss)) / MiB,
    heapMeanMiB: mean((s) => s.heapUsed) / MiB,
    heapTotalMeanMiB: mean((s) => s.heapTotal) / MiB,
    externalMeanMiB: mean((s) => s.external) / MiB,
    cpuPercent: wallMs > 0 ? cpuMicros / 1000 / wallMs * 100 : Number.NaN,
    seconds: wallMs / 1000,
  };
}
