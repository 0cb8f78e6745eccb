import { NativeConnection, Worker, type ActivityInterceptorsFactory, type WorkflowBundle } from '@temporalio/worker';
import { temporalConnectionOptions, type PreviewdConfig } from '../config';
import { stepDurationInterceptors } from '../observability/step-duration';
import { temporalAnswers } from '../observability/temporal-reachability';
import type { Tracing } from '../observability/tracing';
import type { WorkerMetrics } from '../observability/worker-metrics';
import { workerTracingOptions } from '../observability/worker-tracing';

// The lifecycle worker: previewd's workflows plus the activities it is given. Processes pass
// the real activities (activities/index.ts); tests pass doubles and a bundle built once.

export interface CreateWorkerOptions {
  readonly config: Pick<PreviewdConfig, 'temporal'>;
  readonly activities: object;
  /** An existing connection (tests share one); otherwise one is opened from config and closed by `stop`. */
  readonly connection?: NativeConnection;
  /**
   * A prebuilt bundle; otherwise the workflows are bundled from source at start (a few
   * seconds). With `tracing`, a prebuilt bundle must include TRACING_WORKFLOW_MODULES
   * (`bundleWorkflowCode({ workflowInterceptorModules })`): the SDK cannot add them later.
   */
  readonly workflowBundle?: WorkflowBundle;
  /** Step durations and previews by phase; absent: the worker records no metrics. */
  readonly metrics?: WorkerMetrics;
  /** OpenTelemetry spans for workflows and activities; absent: none, and no tracing code in the bundle. */
  readonly tracing?: Tracing;
}

export interface PreviewdWorker {
  readonly worker: Worker;
  /** Resolves when the worker has stopped (after `stop`, or on a fatal error). */
  readonly done: Promise<void>;
  /** Whether the Temporal frontend answers within a probe's deadline (for /readyz). */
  temporalReachable(): Promise<boolean>;
  /** Graceful: in-flight tasks finish (bounded by the SDK's shutdown grace time), then the connection closes. */
  stop(): Promise<void>;
}

/** workflows/index.ts (sources under swc, dist/workflows/index.js when built). */
export const WORKFLOWS_PATH = require.resolve('../../workflows');

export async function createWorker(options: CreateWorkerOptions): Promise<PreviewdWorker> {
  const ownsConnection = options.connection === undefined;
  const connection = options.connection ?? (await NativeConnection.connect(temporalConnectionOptions(options.config.temporal)));
  const { namespace, taskQueue } = options.config.temporal;
  try {
    const tracing = options.tracing && workerTracingOptions(options.tracing);
    // The tracing span wraps the timed execution, so a step's span and its duration agree.
    const activityInterceptors: ActivityInterceptorsFactory[] = [...(tracing?.activity ?? []), ...(options.metrics ? [stepDurationInterceptors(options.metrics.stepDuration)] : [])];
    const worker = await Worker.create({
      connection,
      namespace,
      taskQueue,
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
      activities: options.activities,
      interceptors: { activity: activityInterceptors, ...(tracing && { client: tracing.client, workflowModules: tracing.workflowModules }) },
      ...(tracing && { sinks: tracing.sinks }),
    });
    const client = worker.client;
    if (options.metrics && client) options.metrics.previews.attach(async (query) => (await client.workflow.count(query)).count, taskQueue);
    const done = worker.run().finally(async () => {
      options.metrics?.previews.detach();
      if (ownsConnection) await connection.close();
    });
    return {
      worker,
      done,
      temporalReachable: () => temporalAnswers(connection),
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
