import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { NativeConnection, Worker, type ActivityInterceptorsFactory, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import { temporalConnectionOptions, type PreviewdConfig, type WorkerDeployment, type WorkerTuning } from '../config';
import { durationMs } from '../config/durations';
import { stepDurationInterceptors } from '../observability/step-duration';
import { temporalAnswers } from '../observability/temporal-reachability';
import { listenToTemporalLogs } from '../observability/temporal-runtime';
import type { Tracing } from '../observability/tracing';
import type { WorkerMetrics } from '../observability/worker-metrics';
import { workerTracingOptions } from '../observability/worker-tracing';

// The lifecycle worker: previewd's workflows plus the activities it is given. Processes pass
// the real activities (activities/index.ts); tests pass doubles and a bundle built once.

export interface CreateWorkerOptions {
  readonly config: Pick<PreviewdConfig, 'temporal'> & { readonly worker?: Pick<PreviewdConfig['worker'], 'tuning' | 'workflowBundle' | 'deployment'> };
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

/** Where `npm run build` writes the prebuilt bundle: dist/workflow-bundle.js, beside dist/src. */
export const BUILT_WORKFLOW_BUNDLE = resolve(__dirname, '../../workflow-bundle.js');

/**
 * Which workflow code the worker loads: a bundle given by the caller, else a prebuilt bundle
 * file (config, or the build's), else workflows/ bundled now with webpack. Production loads the
 * prebuilt file: bundling at start costs seconds of CPU and leaves webpack's memory behind.
 * With tracing the bundle must carry the tracing interceptors, which the prebuilt one does not.
 */
export function workflowSource(options: CreateWorkerOptions): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (options.workflowBundle) return { workflowBundle: options.workflowBundle };
  const file = options.config.worker?.workflowBundle ?? (existsSync(BUILT_WORKFLOW_BUNDLE) ? BUILT_WORKFLOW_BUNDLE : undefined);
  if (file && !options.tracing) return { workflowBundle: { codePath: file } };
  return { workflowsPath: WORKFLOWS_PATH };
}

/** Slots, cache and shutdown grace from config; the SDK's defaults when a caller (a test) gives none. */
function tuningOptions(tuning: WorkerTuning | undefined): Partial<WorkerOptions> {
  if (!tuning) return {};
  return {
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTaskExecutions,
    shutdownGraceTime: durationMs(tuning.shutdownGraceTime),
  };
}

/**
 * Polls as one version of the Worker Deployment. Workflows without their own behaviour (the
 * janitor, the redelivery and cache workflows: short runs) auto-upgrade; the lifecycle declares
 * itself pinned (workflows/preview-lifecycle.ts).
 */
export function deploymentOptions(deployment: Pick<WorkerDeployment, 'name' | 'buildId'> | undefined): Partial<WorkerOptions> {
  if (!deployment) return {};
  return {
    workerDeploymentOptions: {
      version: { deploymentName: deployment.name, buildId: deployment.buildId },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    },
  };
}

export async function createWorker(options: CreateWorkerOptions): Promise<PreviewdWorker> {
  const ownsConnection = options.connection === undefined;
  const connection = options.connection ?? (await NativeConnection.connect(temporalConnectionOptions(options.config.temporal)));
  const { namespace, taskQueue } = options.config.temporal;
  try {
    const tracing = options.tracing && workerTracingOptions(options.tracing);
    // The tracing span wraps the timed execution, so a step's span and its duration agree.
    const activityInterceptors: ActivityInterceptorsFactory[] = [...(tracing?.activity ?? []), ...(options.metrics ? [stepDurationInterceptors(options.metrics.stepDuration, options.metrics.stepErrors)] : [])];
    const worker = await Worker.create({
      connection,
      namespace,
      taskQueue,
      ...workflowSource(options),
      ...tuningOptions(options.config.worker?.tuning),
      ...deploymentOptions(options.config.worker?.deployment),
      activities: options.activities,
      interceptors: { activity: activityInterceptors, ...(tracing && { client: tracing.client, workflowModules: tracing.workflowModules }) },
      ...(tracing && { sinks: tracing.sinks }),
    });
    const client = worker.client;
    if (options.metrics && client) options.metrics.previews.attach(async (query) => (await client.workflow.count(query)).count, taskQueue);
    // Rejected workflow tasks are only visible in Core's warnings (observability/workflow-task-failures.ts).
    const stopCounting = options.metrics && listenToTemporalLogs(options.metrics.taskFailures.observe);
    const done = worker.run().finally(async () => {
      stopCounting?.();
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
