// Logs, metrics and traces, shared by every process: one pino logger factory (with redaction),
// the Temporal SDK's logs routed through it, the worker's metrics, and optional OpenTelemetry.
export { createLogger, REDACTED_PATHS, REDACTED, type LoggerOptions } from './logger';
export { previewFieldsOf, previewLogMixin, type PreviewLogFields } from './preview-log-fields';
export { traceLogFields, type TraceLogFields } from './trace-log-fields';
export { TemporalPinoLogger, pinoFields, type TemporalLogListener } from './temporal-logger';
export { installTemporalLogging, listenToTemporalLogs, coreMetricsAddress, type TemporalLoggingInstall, type TemporalRuntimeOptions } from './temporal-runtime';
export {
  CORE_COMPLETION_ERROR,
  WORKFLOW_TASK_FAILURES_METRIC,
  WorkflowTaskFailures,
  workflowTaskFailureOf,
  type WorkflowTaskFailure,
  type WorkflowTaskFailuresOptions,
  type WorkflowTaskTrouble,
} from './workflow-task-failures';
export { stepOutcomeOf, stepErrorType, stepDurationInterceptors, UNCLASSIFIED_STEP_ERROR, type StepOutcome, type StepDurationHistogram, type StepErrorCounter } from './step-duration';
export { PreviewPhaseTracker, previewPhaseQuery, type CountWorkflows, type PhaseCounts, type PreviewPhaseTrackerOptions } from './previews-by-phase';
export { STEP_DURATION_METRIC, STEP_ERRORS_METRIC, PREVIEWS_METRIC, PREVIEWS_ERRORS_METRIC, createWorkerMetrics, type WorkerMetrics, type WorkerMetricsOptions } from './worker-metrics';
export { createTracing, startTracing, type Tracing, type TracingSettings } from './tracing';
export {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_SERVICE_INSTANCE_ID,
  otlpTracesUrl,
  previewdVersion,
  tracesUrl,
  tracingResourceAttributes,
  type ExportTelemetry,
  type ResourceInputs,
  type ResourceTelemetry,
} from './tracing-resource';
export { tracingClientInterceptors } from './client-tracing';
export { PROBE_DEADLINE_MS, temporalAnswers, type ProbedConnection } from './temporal-reachability';
export { TRACING_WORKFLOW_MODULES, workerTracingOptions, type WorkerTracingOptions } from './worker-tracing';
