import { z } from 'zod';

// What previews cost: hourly rates for requested resources, and an optional per-preview budget.


/** Seed 004's list prices; operators set their own. Storage is priced per month, as clouds bill it. */
export const costRatesSchema = z
  .object({
    cpuCoreHour: z.number().nonnegative().default(0.04),
    memoryGiBHour: z.number().nonnegative().default(0.005),
    storageGiBMonth: z.number().nonnegative().default(0.1),
    /** Hours per billing month used to turn the storage price into an hourly one (730 = 8760 / 12). */
    hoursPerMonth: z.number().positive().default(730),
    currency: z.string().length(3).default('USD'),
  })
  .strict();

export type CostRates = z.infer<typeof costRatesSchema>;

export const budgetPolicySchema = z
  .object({
    /** Maximum projected cost of one preview until expiry; absent means no budget. */
    perPreview: z.number().positive().optional(),
    /** `warn` reports an overrun on the PR; `block` also refuses to deploy. */
    onExceed: z.enum(['warn', 'block']).default('warn'),
  })
  .strict();

export type BudgetPolicy = z.infer<typeof budgetPolicySchema>;
