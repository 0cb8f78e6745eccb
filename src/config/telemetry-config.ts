import { z } from 'zod';

// Optional OpenTelemetry traces. Off unless an OTLP/HTTP endpoint is configured.

export const telemetryConfigSchema = z
  .object({
    /** Base URL of an OTLP/HTTP receiver (`http://otel-collector:4318`); spans go to `<url>/v1/traces`. */
    otlpEndpoint: z.url({ protocol: /^https?$/ }).optional(),
    /** `service.name` of the spans; each process appends its role (`previewd-worker`, `previewd-ingress`, `previewd-cli`). */
    serviceName: z.string().min(1).default('previewd'),
  })
  .strict();

export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;
