import { z } from 'zod';
import { positiveDuration } from './durations';

// The webhook ingress: where it listens, how large a delivery may be, and how many deliveries
// one repository may send before it is throttled.

/** GitHub caps webhook payloads at 25 MB; a larger body is not a GitHub delivery. */
export const GITHUB_MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

export const ingressRateLimitSchema = z
  .object({
    /** Deliveries per repository per window (seed 004: 100 a minute). */
    max: z.number().int().min(1).default(100),
    window: positiveDuration.default('1m'),
  })
  .strict();

export const ingressConfigSchema = z
  .object({
    host: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(8080),
    bodyLimitBytes: z.number().int().min(1).max(GITHUB_MAX_PAYLOAD_BYTES).default(GITHUB_MAX_PAYLOAD_BYTES),
    rateLimit: ingressRateLimitSchema.prefault({}),
  })
  .strict();

export type IngressConfig = z.infer<typeof ingressConfigSchema>;
