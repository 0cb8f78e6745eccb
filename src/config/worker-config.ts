import { z } from 'zod';

// The worker's own small HTTP server: /healthz, /readyz and /metrics for probes and
// Prometheus (the chart's worker Service and ServiceMonitor use port 9464, named `http`).

export const workerConfigSchema = z
  .object({
    host: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(9464),
  })
  .strict();

export type WorkerConfig = z.infer<typeof workerConfigSchema>;
