import { baggageUtils } from '@opentelemetry/core';
import { ConfigError } from '../errors';

// The standard OpenTelemetry SDK variables (the OTel specification's "Environment Variable
// Specification"), mapped onto the `telemetry` section. They are how platforms configure
// tracing (the OpenTelemetry Operator injects them into pods), so they win over the config file
// and over PREVIEWD_TELEMETRY_*, just as every other variable wins over the file.
//
// Not mapped, on purpose: OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT and _COMPRESSION (and their
// _TRACES_ forms). The OTLP exporter reads those itself when it is created; headers usually hold
// a collector's API key, and leaving them to the exporter means they never enter previewd's
// config, so no log line or error message that shows config can show them.

export const OTEL_SDK_DISABLED_ENV = 'OTEL_SDK_DISABLED';
export const OTEL_TRACES_EXPORTER_ENV = 'OTEL_TRACES_EXPORTER';
export const OTEL_EXPORTER_OTLP_ENDPOINT_ENV = 'OTEL_EXPORTER_OTLP_ENDPOINT';
export const OTEL_EXPORTER_OTLP_TRACES_ENDPOINT_ENV = 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT';
export const OTEL_EXPORTER_OTLP_PROTOCOL_ENV = 'OTEL_EXPORTER_OTLP_PROTOCOL';
export const OTEL_EXPORTER_OTLP_TRACES_PROTOCOL_ENV = 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL';
export const OTEL_SERVICE_NAME_ENV = 'OTEL_SERVICE_NAME';
export const OTEL_RESOURCE_ATTRIBUTES_ENV = 'OTEL_RESOURCE_ATTRIBUTES';

/** Every OTEL_* variable previewd itself reads (docs/config.md lists them). */
export const OTEL_ENV_NAMES: readonly string[] = [
  OTEL_SDK_DISABLED_ENV,
  OTEL_TRACES_EXPORTER_ENV,
  OTEL_EXPORTER_OTLP_ENDPOINT_ENV,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT_ENV,
  OTEL_EXPORTER_OTLP_PROTOCOL_ENV,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL_ENV,
  OTEL_SERVICE_NAME_ENV,
  OTEL_RESOURCE_ATTRIBUTES_ENV,
];

type Env = Readonly<Record<string, string | undefined>>;

/** What the OTEL_* variables set: a partial `telemetry` section, and which variable set which field. */
export interface OtelEnvLayer {
  readonly telemetry: Record<string, unknown>;
  /** Config path → variable, most specific path first. */
  readonly origins: readonly (readonly [string, string])[];
}

/** Present and non-empty (after trimming, as the SDK reads them). */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * `key1=value1,key2=value2`, values percent-encoded (W3C Baggage syntax), parsed with
 * @opentelemetry/core's own baggage helper. A malformed entry is refused with its position
 * rather than dropped, as the SDK would silently do.
 */
export function parseResourceAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  text.split(',').forEach((entry, i) => {
    if (entry.trim() === '') return;
    let pair: { key: string; value: string } | undefined;
    try {
      pair = baggageUtils.parsePairKeyValue(entry);
    } catch {
      // decodeURIComponent: a `%` not followed by two hex digits.
    }
    if (!pair || pair.key === '') {
      throw new ConfigError('telemetry.resourceAttributes', `invalid previewd config: telemetry.resourceAttributes: entry ${i + 1} of ${OTEL_RESOURCE_ATTRIBUTES_ENV} is not key=value with a percent-encoded value`);
    }
    attributes[pair.key] = pair.value;
  });
  return attributes;
}

/** OTEL_SDK_DISABLED: `true` switches tracing off (false), `false` leaves it as configured (undefined). */
function sdkDisabled(env: Env): false | undefined {
  const value = read(env, OTEL_SDK_DISABLED_ENV)?.toLowerCase();
  if (value === undefined || value === 'false') return undefined;
  if (value === 'true') return false;
  throw new ConfigError('telemetry.enabled', `invalid previewd config: telemetry.enabled: ${OTEL_SDK_DISABLED_ENV}=${value} is neither true nor false`);
}

/** OTEL_TRACES_EXPORTER: previewd exports over OTLP only; `none` switches tracing off. */
function tracesExporterOff(env: Env): boolean {
  const value = read(env, OTEL_TRACES_EXPORTER_ENV)?.toLowerCase();
  if (value === undefined || value === 'otlp') return false;
  if (value === 'none') return true;
  throw new ConfigError('telemetry.enabled', `invalid previewd config: telemetry.enabled: ${OTEL_TRACES_EXPORTER_ENV}=${value} is not supported; previewd exports traces over OTLP only (otlp or none)`);
}

/** The exporter speaks OTLP over HTTP (JSON); an OTLP/gRPC endpoint (port 4317) would not answer it. */
function checkProtocol(env: Env): void {
  for (const name of [OTEL_EXPORTER_OTLP_TRACES_PROTOCOL_ENV, OTEL_EXPORTER_OTLP_PROTOCOL_ENV]) {
    const value = read(env, name);
    if (value !== undefined && value !== 'http/protobuf' && value !== 'http/json') {
      throw new ConfigError('telemetry.otlpEndpoint', `invalid previewd config: telemetry.otlpEndpoint: ${name}=${value} is not supported; previewd sends OTLP over HTTP (http/json or http/protobuf, usually port 4318)`);
    }
  }
}

export function otelEnvLayer(env: Env): OtelEnvLayer {
  checkProtocol(env);
  const telemetry: Record<string, unknown> = {};
  const origins: [string, string][] = [];
  const set = (field: string, value: unknown, variable: string) => {
    if (value === undefined) return;
    telemetry[field] = value;
    origins.push([`telemetry.${field}`, variable]);
  };
  set('enabled', tracesExporterOff(env) ? false : undefined, OTEL_TRACES_EXPORTER_ENV);
  set('enabled', sdkDisabled(env), OTEL_SDK_DISABLED_ENV);
  set('otlpEndpoint', read(env, OTEL_EXPORTER_OTLP_ENDPOINT_ENV), OTEL_EXPORTER_OTLP_ENDPOINT_ENV);
  set('otlpTracesEndpoint', read(env, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT_ENV), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT_ENV);
  const attributesText = read(env, OTEL_RESOURCE_ATTRIBUTES_ENV);
  const serviceName = read(env, OTEL_SERVICE_NAME_ENV);
  // As the specification says: OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES.
  if (serviceName !== undefined) origins.push(['telemetry.resourceAttributes.service.name', OTEL_SERVICE_NAME_ENV]);
  if (attributesText !== undefined || serviceName !== undefined) {
    set('resourceAttributes', { ...(attributesText && parseResourceAttributes(attributesText)), ...(serviceName && { 'service.name': serviceName }) }, OTEL_RESOURCE_ATTRIBUTES_ENV);
  }
  return { telemetry, origins };
}
