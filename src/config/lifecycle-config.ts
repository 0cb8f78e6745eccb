import { z } from 'zod';
import { positiveDuration } from './durations';

// Operator knobs of the lifecycle workflow (src/lifecycle/lifecycle-options.ts). They travel in
// each workflow's input, so a run keeps what it started with.

export const lifecycleConfigSchema = z
  .object({
    readinessTimeout: positiveDuration.optional(),
    readinessSlice: positiveDuration.optional(),
    continueAsNewAfterEvents: z.number().int().min(1).optional(),
    deliveryMemory: z.number().int().min(1).optional(),
    recentEvents: z.number().int().min(1).optional(),
  })
  .strict();

export type LifecycleConfig = z.infer<typeof lifecycleConfigSchema>;
