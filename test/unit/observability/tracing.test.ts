import { context, propagation } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { parseConfig, type TelemetryConfig } from '../../../src/config';
import { createTracing, otlpTracesUrl, previewdVersion, startTracing, tracesUrl, tracingResourceAttributes } from '../../../src/observability';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the version the resource must carry, read independently
const packageVersion = (require('../../../package.json') as { version: string }).version;

const telemetry = (input: Record<string, unknown> = {}): TelemetryConfig => parseConfig({ telemetry: input }).telemetry;

describe('tracing', () => {
  it('is off without an OTLP endpoint, and when switched off with one', () => {
    expect(startTracing({ telemetry: telemetry(), role: 'worker' })).toBeUndefined();
    expect(startTracing({ telemetry: telemetry({ otlpEndpoint: 'http://collector:4318', enabled: false }), role: 'worker' })).toBeUndefined();
  });

  it('sends spans to the OTLP/HTTP traces path of the endpoint, or to the traces endpoint as it is', () => {
    expect(otlpTracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl(telemetry({ otlpEndpoint: 'http://collector:4318/otlp' }))).toBe('http://collector:4318/otlp/v1/traces');
    expect(tracesUrl(telemetry({ otlpEndpoint: 'http://collector:4318', otlpTracesEndpoint: 'https://traces.example.test/ingest' }))).toBe('https://traces.example.test/ingest');
    expect(tracesUrl(telemetry({ otlpTracesEndpoint: 'https://traces.example.test/ingest' }))).toBe('https://traces.example.test/ingest');
    expect(tracesUrl(telemetry({ otlpTracesEndpoint: 'https://traces.example.test/ingest', enabled: false }))).toBeUndefined();
  });

  it("describes the process: service name and role, previewd's version, the instance and the environment", () => {
    expect(previewdVersion()).toBe(packageVersion);
    const attributes = tracingResourceAttributes({ telemetry: telemetry({ serviceName: 'previews', environment: 'staging' }), role: 'worker', version: '1.2.3', instanceId: 'id-1' });
    expect(attributes).toEqual({ 'service.name': 'previews-worker', 'service.version': '1.2.3', 'service.instance.id': 'id-1', 'deployment.environment.name': 'staging' });
    // No environment configured: no attribute, rather than a made-up one.
    expect(tracingResourceAttributes({ telemetry: telemetry(), role: 'ingress', instanceId: 'id-2' })).toEqual({ 'service.name': 'previewd-ingress', 'service.instance.id': 'id-2' });
  });

  it('lets configured resource attributes (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES) win over the ones previewd sets', () => {
    const configured = telemetry({ environment: 'staging', resourceAttributes: { 'service.name': 'previewd-eu', 'deployment.environment.name': 'production', 'k8s.cluster.name': 'eu-1' } });
    expect(tracingResourceAttributes({ telemetry: configured, role: 'worker', version: '1.2.3', instanceId: 'id-1' })).toEqual({
      'service.name': 'previewd-eu',
      'service.version': '1.2.3',
      'service.instance.id': 'id-1',
      'deployment.environment.name': 'production',
      'k8s.cluster.name': 'eu-1',
    });
  });

  it('puts the attributes on every span, under the SDK’s own telemetry.sdk.* attributes', async () => {
    const exporter = new InMemorySpanExporter();
    const attributes = tracingResourceAttributes({ telemetry: telemetry({ environment: 'production' }), role: 'worker', version: previewdVersion(), instanceId: 'id-1' });
    const tracing = createTracing({ spanProcessor: new SimpleSpanProcessor(exporter), attributes });
    tracing.tracer.startSpan('one').end();
    await tracing.flush();
    expect(exporter.getFinishedSpans()[0]?.resource.attributes).toMatchObject({
      'service.name': 'previewd-worker',
      'service.version': packageVersion,
      'service.instance.id': 'id-1',
      'deployment.environment.name': 'production',
      'telemetry.sdk.language': 'nodejs',
    });
    await tracing.shutdown();
  });

  it('nests spans across awaits and puts the active trace into W3C headers', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing({ spanProcessor: new SimpleSpanProcessor(exporter), attributes: { 'service.name': 'previewd-test' } });
    const carrier: Record<string, string> = {};
    await tracing.tracer.startActiveSpan('outer', async (outer) => {
      await new Promise((r) => setTimeout(r, 1));
      await tracing.tracer.startActiveSpan('inner', async (inner) => {
        await new Promise((r) => setTimeout(r, 1));
        propagation.inject(context.active(), carrier);
        inner.end();
      });
      outer.end();
    });
    await tracing.flush();
    const [inner, outer] = exporter.getFinishedSpans();
    expect(outer?.name).toBe('outer');
    expect(inner?.parentSpanId).toBe(outer?.spanContext().spanId);
    expect(inner?.spanContext().traceId).toBe(outer?.spanContext().traceId);
    expect(inner?.resource.attributes['service.name']).toBe('previewd-test');
    expect(carrier.traceparent).toBe(`00-${inner?.spanContext().traceId}-${inner?.spanContext().spanId}-01`);
    await tracing.shutdown();
  });
});
