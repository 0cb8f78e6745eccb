import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PreviewPhaseTracker } from './previews-by-phase';
import type { StepDurationHistogram, StepErrorCounter } from './step-duration';
import { WorkflowTaskFailures } from './workflow-task-failures';

// What the worker's /metrics exposes besides what activities register on the same registry
// (cost gauges, janitor counters).

export const STEP_DURATION_METRIC = 'previewd_step_duration_seconds';
export const STEP_ERRORS_METRIC = 'previewd_step_errors_total';
export const PREVIEWS_METRIC = 'previewd_previews';
export const PREVIEWS_ERRORS_METRIC = 'previewd_previews_visibility_errors_total';

export interface WorkerMetrics {
  readonly registry: Registry;
  readonly stepDuration: StepDurationHistogram;
  /** Failed step attempts by activity type and the contract's failure type. */
  readonly stepErrors: StepErrorCounter;
  /** Feeds `previewd_previews`; attached to a Temporal client by createWorker. */
  readonly previews: PreviewPhaseTracker;
  /** Workflow tasks the server rejected (`previewd_workflow_task_failures_total`), fed from Temporal's log forwarding by createWorker. */
  readonly taskFailures: WorkflowTaskFailures;
}

export interface WorkerMetricsOptions {
  /** Defaults to a new registry. Dev mode passes the ingress's, to serve one /metrics. */
  readonly registry?: Registry;
  /** Process metrics (`previewd_worker_*`); default true. Off when sharing a registry that has them. */
  readonly defaultMetrics?: boolean;
  /** How long one visibility count serves scrapes; default 15 s. */
  readonly previewsMaxAgeMs?: number;
  readonly previewsTimeoutMs?: number;
  /** Failures of one reason within the window that make /readyz answer 503 (default 3 in 15 minutes). */
  readonly taskFailureThreshold?: number;
  readonly taskFailureWindowMs?: number;
}

// Steps range from a few milliseconds (reporting) to the readiness wait (minutes).
const STEP_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

export function createWorkerMetrics(options: WorkerMetricsOptions = {}): WorkerMetrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'previewd_worker_' });
  const stepDuration = new Histogram({
    name: STEP_DURATION_METRIC,
    help: 'Duration of lifecycle steps (one activity attempt each) by activity type and outcome (success, failure, cancelled)',
    labelNames: ['step', 'outcome'],
    buckets: STEP_BUCKETS,
    registers: [registry],
  });
  const stepErrors = new Counter({
    name: STEP_ERRORS_METRIC,
    help: 'Failed lifecycle step (activity) attempts, by activity type and failure type (the workflow contract\'s; Unclassified for anything else)',
    labelNames: ['step', 'type'],
    registers: [registry],
  });
  const errors = new Counter({
    name: PREVIEWS_ERRORS_METRIC,
    help: `Failed or timed-out visibility counts behind ${PREVIEWS_METRIC} (the gauge keeps its last values meanwhile)`,
    registers: [registry],
  });
  const previews = new PreviewPhaseTracker({ maxAgeMs: options.previewsMaxAgeMs ?? 15_000, timeoutMs: options.previewsTimeoutMs ?? 5_000, onError: () => errors.inc() });
  new Gauge({
    name: PREVIEWS_METRIC,
    help: 'Running previews by phase, counted in Temporal visibility (PreviewPhase). Every worker replica reports the same totals: aggregate with max, never sum',
    labelNames: ['phase'],
    registers: [registry],
    async collect() {
      const counts = await previews.current();
      this.reset();
      for (const [phase, count] of counts ?? []) this.set({ phase }, count);
    },
  });
  const taskFailures = new WorkflowTaskFailures({ registry, threshold: options.taskFailureThreshold, windowMs: options.taskFailureWindowMs });
  return { registry, stepDuration, stepErrors, previews, taskFailures };
}
