import { context, propagation, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

// Optional OpenTelemetry traces. Off unless `telemetry.otlpEndpoint` is set; then every
// process (ingress, CLI, worker) exports its spans over OTLP/HTTP, and Temporal's interceptors
// carry the trace context from the client call through the workflow into each activity.
// Nothing here is global except what OpenTelemetry itself needs to be global (the context
// manager and the propagator); the tracer is handed to the interceptors explicitly.

export interface Tracing {
  readonly tracer: Tracer;
  /** Where spans go; the worker hands it the workflow spans (they are made inside the sandbox). */
  readonly spanProcessor: SpanProcessor;
  readonly resource: Resource;
  /** Exports what is pending now. */
  flush(): Promise<void>;
  /** Exports what is pending and stops. */
  shutdown(): Promise<void>;
}

export interface TracingSettings {
  /** Base URL of an OTLP/HTTP receiver (`http://collector:4318`); spans go to `<url>/v1/traces`. */
  readonly otlpEndpoint?: string;
  readonly serviceName: string;
}

let globalsRegistered = false;

/** Active-span tracking and W3C `traceparent` propagation, once per process. */
function registerGlobals(): void {
  if (globalsRegistered) return;
  globalsRegistered = true;
  // Both calls are no-ops when the application already registered its own.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/** Tracing to any span processor (tests use an in-memory exporter). */
export function createTracing(options: { spanProcessor: SpanProcessor; serviceName: string }): Tracing {
  registerGlobals();
  const resource = new Resource({ 'service.name': options.serviceName });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [options.spanProcessor] });
  return {
    tracer: provider.getTracer('previewd'),
    spanProcessor: options.spanProcessor,
    resource,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

export function otlpTracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/** Tracing as configured: undefined (off) without an endpoint. */
export function startTracing(settings: TracingSettings): Tracing | undefined {
  if (!settings.otlpEndpoint) return undefined;
  const exporter = new OTLPTraceExporter({ url: otlpTracesUrl(settings.otlpEndpoint) });
  return createTracing({ spanProcessor: new BatchSpanProcessor(exporter), serviceName: settings.serviceName });
}
