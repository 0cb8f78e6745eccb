import type { ActivityInterceptorsFactory, InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/worker';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { Tracing } from './tracing';

// Worker side of tracing, wired as @temporalio/interceptors-opentelemetry 1.24 documents it
// (what its OpenTelemetryPlugin does, without the experimental plugin API):
// - the workflow interceptor module, bundled into the workflow code: the run, its signals and
//   every scheduled activity get spans, and the activity headers carry the context;
// - the `exporter` sink: workflow spans are made inside the sandbox and leave it through a sink;
// - activity interceptors: each execution is a span under the workflow's StartActivity span.

/**
 * The workflow interceptor module. Bundled only when tracing is on, so the workflow code of
 * an untraced worker is exactly previewd's (replay histories need nothing else either way).
 */
export const TRACING_WORKFLOW_MODULES: readonly string[] = [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];

export interface WorkerTracingOptions {
  readonly activity: ActivityInterceptorsFactory[];
  readonly client: NonNullable<WorkerInterceptors['client']>;
  readonly workflowModules: string[];
  readonly sinks: InjectedSinks<OpenTelemetrySinks>;
}

export function workerTracingOptions(tracing: Tracing): WorkerTracingOptions {
  const options = { tracer: tracing.tracer };
  return {
    activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, options), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    client: { workflow: [new OpenTelemetryWorkflowClientInterceptor(options)] },
    workflowModules: [...TRACING_WORKFLOW_MODULES],
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
