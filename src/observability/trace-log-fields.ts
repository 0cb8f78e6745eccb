import { isSpanContextValid, trace } from '@opentelemetry/api';

// Log lines written while a span is active name its trace, so a log search leads to the trace
// and back. Field names and formats are the OpenTelemetry specification's for trace context in
// non-OTLP log formats (`trace_id`, `span_id` as lowercase hex, `trace_flags` as two hex
// digits); Temporal's OpenTelemetry interceptors add the same fields to workflow and activity
// lines, so every line agrees.

export interface TraceLogFields {
  readonly trace_id: string;
  readonly span_id: string;
  readonly trace_flags: string;
}

/** The active span's ids, or nothing outside a span (and always nothing while tracing is off). */
export function traceLogFields(): Partial<TraceLogFields> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId, trace_flags: spanContext.traceFlags.toString(16).padStart(2, '0') };
}
