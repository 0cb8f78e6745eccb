import { context, propagation, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { randomUUID } from 'node:crypto';
import type { TelemetryConfig } from '../config';
import { previewdVersion, tracesUrl, tracingResourceAttributes } from './tracing-resource';

// Optional OpenTelemetry traces. Off unless an OTLP endpoint is configured (`telemetry.otlpEndpoint`,
// or the standard OTEL_EXPORTER_OTLP_ENDPOINT / _TRACES_ENDPOINT, read by the config loader); then every
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
  /** Endpoint, on/off, service name and resource attributes, OTEL_* variables already applied. */
  readonly telemetry: TelemetryConfig;
  /** The process's role, appended to the service name: `worker`, `ingress`, `dev`, `cli`. */
  readonly role: string;
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

/**
 * Tracing to any span processor (tests use an in-memory exporter). `attributes` describe the
 * process (tracing-resource.ts); the SDK adds its own `telemetry.sdk.*` under them.
 */
export function createTracing(options: { spanProcessor: SpanProcessor; attributes: Readonly<Record<string, string>> }): Tracing {
  registerGlobals();
  const resource = Resource.default().merge(new Resource({ ...options.attributes }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [options.spanProcessor] });
  return {
    tracer: provider.getTracer('previewd'),
    spanProcessor: options.spanProcessor,
    resource,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** Tracing as configured: undefined (off) without an endpoint, or when switched off. */
export function startTracing(settings: TracingSettings): Tracing | undefined {
  const url = tracesUrl(settings.telemetry);
  if (url === undefined) return undefined;
  // Headers (a collector's API key), timeout and compression come from
  // OTEL_EXPORTER_OTLP_[TRACES_]HEADERS/_TIMEOUT/_COMPRESSION, which the exporter reads itself
  // here, once; they never pass through previewd's config or logs.
  const exporter = new OTLPTraceExporter({ url });
  const attributes = tracingResourceAttributes({ telemetry: settings.telemetry, role: settings.role, version: previewdVersion(), instanceId: randomUUID() });
  return createTracing({ spanProcessor: new BatchSpanProcessor(exporter), attributes });
}
