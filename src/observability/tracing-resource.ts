import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TelemetryConfig } from '../config';

// What every span says about the process that made it (the OpenTelemetry resource), and where
// spans go. Pure functions of the frozen config: the OTEL_* variables were read into
// `telemetry` by the config loader (src/config/otel-env.ts), never here.

// Still "incubating" in @opentelemetry/semantic-conventions 1.28, whose guidance is to copy such
// keys rather than import the unstable entry point.
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';
export const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';

export type ResourceTelemetry = Pick<TelemetryConfig, 'serviceName' | 'environment' | 'resourceAttributes'>;

export interface ResourceInputs {
  readonly telemetry: ResourceTelemetry;
  /** The process's role, appended to `serviceName`: `worker`, `ingress`, `dev`, `cli`. */
  readonly role: string;
  /** previewd's version (package.json); absent when it cannot be found. */
  readonly version?: string;
  /** Unique per process start (a random UUID, as the semantic conventions recommend). */
  readonly instanceId: string;
}

/**
 * `service.name` (`<serviceName>-<role>`), `service.version`, `service.instance.id` and
 * `deployment.environment.name`, under the configured `resourceAttributes` (OTEL_SERVICE_NAME,
 * OTEL_RESOURCE_ATTRIBUTES), which win, as the SDK's own environment detector would make them.
 */
export function tracingResourceAttributes(inputs: ResourceInputs): Record<string, string> {
  const { telemetry } = inputs;
  return {
    [ATTR_SERVICE_NAME]: `${telemetry.serviceName}-${inputs.role}`,
    ...(inputs.version !== undefined && { [ATTR_SERVICE_VERSION]: inputs.version }),
    [ATTR_SERVICE_INSTANCE_ID]: inputs.instanceId,
    ...(telemetry.environment !== undefined && { [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: telemetry.environment }),
    ...telemetry.resourceAttributes,
  };
}

export function otlpTracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

export type ExportTelemetry = Pick<TelemetryConfig, 'enabled' | 'otlpEndpoint' | 'otlpTracesEndpoint'>;

/**
 * Where spans are POSTed, or undefined: tracing off. The traces endpoint is used as it is, the
 * base endpoint gets `/v1/traces` (the OTLP exporter specification's rule for the two variables).
 */
export function tracesUrl(telemetry: ExportTelemetry): string | undefined {
  if (!telemetry.enabled) return undefined;
  if (telemetry.otlpTracesEndpoint !== undefined) return telemetry.otlpTracesEndpoint;
  return telemetry.otlpEndpoint === undefined ? undefined : otlpTracesUrl(telemetry.otlpEndpoint);
}

let version: { value: string | undefined } | undefined;

/** previewd's package.json version, read once: the nearest package.json named previewd above this file (sources and dist/ alike). */
export function previewdVersion(): string | undefined {
  version ??= { value: findVersion(__dirname) };
  return version.value;
}

function findVersion(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'previewd' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here (or not JSON): keep looking further up.
    }
    if (dirname(dir) === dir) return undefined;
  }
}
