import { z } from 'zod';

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

export const DEFAULT_COST_RATES: CostRates = Object.freeze(costRatesSchema.parse({}));
