import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/errors';
import { loadConfig, parseConfig, parseResourceAttributes } from '../../../src/config';

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
    expect(config.telemetry).toEqual({ enabled: true, serviceName: 'previewd', resourceAttributes: {} });
  });

  it('reads the worker port and the OTLP endpoint from the environment', () => {
    const config = loadConfig({ env: { PREVIEWD_WORKER_PORT: '9999', PREVIEWD_TELEMETRY_OTLP_ENDPOINT: 'http://otel-collector.monitoring:4318', PREVIEWD_TELEMETRY_SERVICE_NAME: 'previews' } });
    expect(config.worker.port).toBe(9999);
    expect(config.telemetry).toEqual({ enabled: true, otlpEndpoint: 'http://otel-collector.monitoring:4318', serviceName: 'previews', resourceAttributes: {} });
  });

  it('refuses an endpoint that is not an http(s) URL, naming the field', () => {
    expect(() => parseConfig({ telemetry: { otlpEndpoint: 'otel-collector:4317' } })).toThrow(/telemetry\.otlpEndpoint/);
    expect(() => parseConfig({ worker: { port: 70000 } })).toThrow(/worker\.port/);
  });
});

describe('the standard OTEL_* variables', () => {
  const ENDPOINT = 'http://otel-collector.monitoring:4318';

  it('switch tracing on with an endpoint and no previewd setting', () => {
    expect(loadConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT } }).telemetry).toMatchObject({ enabled: true, otlpEndpoint: ENDPOINT });
    expect(loadConfig({ env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${ENDPOINT}/v1/traces` } }).telemetry).toMatchObject({ enabled: true, otlpTracesEndpoint: `${ENDPOINT}/v1/traces` });
  });

  it('win over the config file and over PREVIEWD_TELEMETRY_*, as variables win over the file everywhere', () => {
    const dir = mkdtempSync(join(tmpdir(), 'previewd-otel-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'telemetry:\n  otlpEndpoint: http://from-file:4318\n  environment: from-file\n  resourceAttributes: { k8s.cluster.name: eu-1, team: platform }\n');
    const config = loadConfig({
      file,
      env: {
        PREVIEWD_TELEMETRY_OTLP_ENDPOINT: 'http://from-previewd-env:4318',
        OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT,
        OTEL_RESOURCE_ATTRIBUTES: 'team=previews,deployment.environment.name=production',
      },
    });
    expect(config.telemetry).toMatchObject({ otlpEndpoint: ENDPOINT, environment: 'from-file', resourceAttributes: { 'k8s.cluster.name': 'eu-1', team: 'previews', 'deployment.environment.name': 'production' } });
    // Without the OTEL_* variable, previewd's own variable still wins over the file.
    expect(loadConfig({ file, env: { PREVIEWD_TELEMETRY_OTLP_ENDPOINT: 'http://from-previewd-env:4318' } }).telemetry.otlpEndpoint).toBe('http://from-previewd-env:4318');
  });

  it('take OTEL_SERVICE_NAME over a service.name in OTEL_RESOURCE_ATTRIBUTES, and decode percent-encoded values', () => {
    const config = loadConfig({ env: { OTEL_SERVICE_NAME: 'previewd-eu', OTEL_RESOURCE_ATTRIBUTES: 'service.name=ignored, owner=team%20platform%2Cops' } });
    expect(config.telemetry.resourceAttributes).toEqual({ 'service.name': 'previewd-eu', owner: 'team platform,ops' });
  });

  it('switch tracing off with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none, whatever the endpoint', () => {
    expect(loadConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_SDK_DISABLED: 'TRUE' } }).telemetry.enabled).toBe(false);
    expect(loadConfig({ env: { PREVIEWD_TELEMETRY_OTLP_ENDPOINT: ENDPOINT, OTEL_TRACES_EXPORTER: 'none' } }).telemetry.enabled).toBe(false);
    expect(loadConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'otlp' } }).telemetry.enabled).toBe(true);
  });

  it('refuse what previewd cannot do, naming the variable', () => {
    const refused = (env: Record<string, string>) => () => loadConfig({ env });
    expect(refused({ OTEL_SDK_DISABLED: 'maybe' })).toThrow(/OTEL_SDK_DISABLED=maybe/);
    expect(refused({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER=zipkin .*OTLP only/);
    expect(refused({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL=grpc .*over HTTP/);
    expect(refused({ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4317' })).toThrow(/telemetry\.otlpEndpoint: .*\(from OTEL_EXPORTER_OTLP_ENDPOINT\)/);
    expect(refused({ OTEL_RESOURCE_ATTRIBUTES: 'team=platform,nonsense' })).toThrow(ConfigError);
    expect(refused({ OTEL_RESOURCE_ATTRIBUTES: 'team=platform,nonsense' })).toThrow(/entry 2 of OTEL_RESOURCE_ATTRIBUTES/);
    expect(refused({ OTEL_RESOURCE_ATTRIBUTES: `long=${'x'.repeat(256)}` })).toThrow(/telemetry\.resourceAttributes\.long: .*\(from OTEL_RESOURCE_ATTRIBUTES\)/);
    expect(refused({ OTEL_SERVICE_NAME: 'x'.repeat(256) })).toThrow(/\(from OTEL_SERVICE_NAME\)/);
  });

  it('leave exporter headers to the exporter: they never enter the config', () => {
    const header = 'x-api-key=otlpSecret0000000000';
    const config = loadConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS: header, OTEL_EXPORTER_OTLP_TRACES_HEADERS: header } });
    expect(JSON.stringify(config)).not.toContain('otlpSecret');
  });

  it('parse OTEL_RESOURCE_ATTRIBUTES as the specification writes it (empty entries and spaces around pairs are fine)', () => {
    expect(parseResourceAttributes('a=1,, b = two ,c=%3D')).toEqual({ a: '1', b: 'two', c: '=' });
    expect(() => parseResourceAttributes('a=%zz')).toThrow(/entry 1/);
    expect(() => parseResourceAttributes('=value')).toThrow(/entry 1/);
  });
});
