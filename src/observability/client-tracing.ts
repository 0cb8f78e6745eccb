import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import type { Tracing } from './tracing';

// Client side (ingress, previewctl): start, signal-with-start, signal and query calls open a
// span and put its context into the Temporal headers, where the workflow picks it up.

/** For `new Client({ interceptors })`; none without tracing. */
export function tracingClientInterceptors(tracing: Tracing | undefined): ClientInterceptors | undefined {
  if (!tracing) return undefined;
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] };
}
