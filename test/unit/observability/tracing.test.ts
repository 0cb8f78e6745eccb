import { context, propagation } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createTracing, otlpTracesUrl, startTracing } from '../../../src/observability';

describe('tracing', () => {
  it('is off without an OTLP endpoint', () => {
    expect(startTracing({ serviceName: 'previewd' })).toBeUndefined();
  });

  it('sends spans to the OTLP/HTTP traces path of the endpoint', () => {
    expect(otlpTracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
  });

  it('nests spans across awaits and puts the active trace into W3C headers', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing({ spanProcessor: new SimpleSpanProcessor(exporter), serviceName: 'previewd-test' });
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
