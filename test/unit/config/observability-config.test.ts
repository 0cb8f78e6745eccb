import { loadConfig, parseConfig } from '../../../src/config';

describe('worker and telemetry config', () => {
  it('serves the worker on 9464 (the chart probes that port) with tracing off by default', () => {
    const config = parseConfig({});
    expect(config.worker).toEqual({
      host: '0.0.0.0',
      port: 9464,
      clusterWatch: true,
      coreMetricsPort: 9465,
      tuning: { maxCachedWorkflows: 40, maxConcurrentActivityTaskExecutions: 50, maxConcurrentWorkflowTaskExecutions: 40, shutdownGraceTime: '20s' },
    });
    expect(config.telemetry).toEqual({ serviceName: 'previewd' });
  });

  it('reads the worker port and the OTLP endpoint from the environment', () => {
    const config = loadConfig({ env: { PREVIEWD_WORKER_PORT: '9999', PREVIEWD_TELEMETRY_OTLP_ENDPOINT: 'http://otel-collector.monitoring:4318', PREVIEWD_TELEMETRY_SERVICE_NAME: 'previews' } });
    expect(config.worker.port).toBe(9999);
    expect(config.telemetry).toEqual({ otlpEndpoint: 'http://otel-collector.monitoring:4318', serviceName: 'previews' });
  });

  it('refuses an endpoint that is not an http(s) URL, naming the field', () => {
    expect(() => parseConfig({ telemetry: { otlpEndpoint: 'otel-collector:4317' } })).toThrow(/telemetry\.otlpEndpoint/);
    expect(() => parseConfig({ worker: { port: 70000 } })).toThrow(/worker\.port/);
  });
});
