import { z } from 'zod';

// Optional AI service choice through an OpenAI-compatible API. Never required: any failure
// falls back to the static choice, so a disabled or unreachable model only loses precision.

export const aiConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.openai.com/v1'),
    model: z.string().min(1).default('gpt-4o-mini'),
    apiKey: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(100).max(300_000).default(20_000),
    /** Seed 004: at most 100 model calls per minute. */
    perMinute: z.number().int().min(1).default(100),
  })
  .strict();

export type AiConfig = z.infer<typeof aiConfigSchema>;
