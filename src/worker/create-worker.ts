import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { temporalConnectionOptions, type PreviewdConfig } from '../config';

// The lifecycle worker: previewd's workflows plus the activities it is given. Processes pass
// the real activities (activities/index.ts); tests pass doubles and a bundle built once.

export interface CreateWorkerOptions {
  readonly config: Pick<PreviewdConfig, 'temporal'>;
  readonly activities: object;
  /** An existing connection (tests share one); otherwise one is opened from config and closed by `stop`. */
  readonly connection?: NativeConnection;
  /** A prebuilt bundle; otherwise the workflows are bundled from source at start (a few seconds). */
  readonly workflowBundle?: WorkflowBundle;
}

export interface PreviewdWorker {
  readonly worker: Worker;
  /** Resolves when the worker has stopped (after `stop`, or on a fatal error). */
  readonly done: Promise<void>;
  /** Graceful: in-flight tasks finish (bounded by the SDK's shutdown grace time), then the connection closes. */
  stop(): Promise<void>;
}

/** workflows/index.ts (sources under swc, dist/workflows/index.js when built). */
export const WORKFLOWS_PATH = require.resolve('../../workflows');

export async function createWorker(options: CreateWorkerOptions): Promise<PreviewdWorker> {
  const ownsConnection = options.connection === undefined;
  const connection = options.connection ?? (await NativeConnection.connect(temporalConnectionOptions(options.config.temporal)));
  try {
    const worker = await Worker.create({
      connection,
      namespace: options.config.temporal.namespace,
      taskQueue: options.config.temporal.taskQueue,
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
      activities: options.activities,
    });
    const done = worker.run().finally(async () => {
      if (ownsConnection) await connection.close();
    });
    return {
      worker,
      done,
      async stop() {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await done;
      },
    };
  } catch (err) {
    if (ownsConnection) await connection.close();
    throw err;
  }
}
