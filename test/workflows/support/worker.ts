import { resolve } from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { devServerClient, uniqueId } from '../../harness';
import { PreviewActivityDoubles } from '../../doubles';
import { deploymentOptions } from '../../../src/worker/create-worker';

export const quietLogger = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };

/** Bundle once per test file: bundling is the slow part of starting a worker. */
export function bundlePreviewWorkflows(): ReturnType<typeof bundleWorkflowCode> {
  return bundleWorkflowCode({ workflowsPath: resolve(__dirname, '../../../workflows'), logger: quietLogger });
}

export interface RunningWorker {
  readonly worker: Worker;
  readonly doubles: PreviewActivityDoubles;
  readonly taskQueue: string;
  stop(): Promise<void>;
}

/**
 * A real Worker with the activity doubles. Heartbeats are flushed every 100 ms (instead of the
 * 30 s default for activities without a heartbeat timeout), so cancellation reaches a blocked
 * double promptly.
 */
export async function startPreviewWorker(opts: {
  readonly connection: NativeConnection;
  readonly namespace?: string;
  readonly taskQueue: string;
  readonly workflowBundle: WorkflowBundle;
  readonly doubles?: PreviewActivityDoubles;
  /** Poll as this version of a Worker Deployment (as `worker.deployment` makes the real worker do); absent: unversioned. */
  readonly deployment?: { readonly name: string; readonly buildId: string };
}): Promise<RunningWorker> {
  const doubles = opts.doubles ?? new PreviewActivityDoubles();
  const worker = await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: opts.workflowBundle,
    activities: doubles.activities(),
    defaultHeartbeatThrottleInterval: '100ms',
    maxHeartbeatThrottleInterval: '100ms',
    // The options the real worker polls with (src/worker/create-worker.ts).
    ...deploymentOptions(opts.deployment),
  });
  const running = worker.run();
  return {
    worker,
    doubles,
    taskQueue: opts.taskQueue,
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

/**
 * Keeps the SDK's own logs to errors: these tests fail activities on purpose, and a warning
 * per failure would bury the jest output. Must run before anything creates the Runtime.
 */
export function quietTemporalLogs(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  } catch {
    // Already installed by an earlier call in this process: fine.
  }
}

/** What `previewWorkerPerFile` hands the test file once its servers are up. */
export interface DevServerPreviewWorker {
  readonly client: Client;
  readonly worker: RunningWorker;
}

/**
 * One dev-server client and one preview worker (activity doubles) for a whole test file: started
 * in `beforeAll`, given to `started`, stopped in `afterAll`. Tests share it without interfering
 * because each owns one preview (a unique repository name).
 */
export function previewWorkerPerFile(queue: string, started: (running: DevServerPreviewWorker) => void): void {
  let connection: Connection | undefined;
  let native: NativeConnection | undefined;
  let worker: RunningWorker | undefined;
  beforeAll(async () => {
    quietTemporalLogs();
    const dev = await devServerClient();
    connection = dev.connection;
    native = await NativeConnection.connect({ address: dev.connection.options.address });
    worker = await startPreviewWorker({ connection: native, namespace: dev.namespace, taskQueue: uniqueId(queue), workflowBundle: await bundlePreviewWorkflows() });
    started({ client: dev.client, worker });
  });
  afterAll(async () => {
    await worker?.stop();
    await native?.close();
    await connection?.close();
  });
}
