import { costRatesSchema, type CostRates } from '../config/cost';

/** Seed 004's list prices, from the schema's defaults. */
export const DEFAULT_COST_RATES: CostRates = Object.freeze(costRatesSchema.parse({}));

const GiB = 2 ** 30;
const HOUR_MS = 3_600_000;

/** What the namespace's workloads request: CPU in cores, memory and storage in bytes. */
export interface ResourceRequests {
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly storageBytes: number;
}

export interface PreviewCost {
  readonly currency: string;
  readonly perHour: number;
  readonly breakdownPerHour: { readonly cpu: number; readonly memory: number; readonly storage: number };
  /** Cost from `now` until the preview expires at the current rate. */
  readonly projectedToExpiry: number;
  readonly hoursToExpiry: number;
  readonly requests: ResourceRequests;
}

/** requests × rates, per hour and projected to expiry (seed 004's formula). */
export function computePreviewCost(requests: ResourceRequests, rates: CostRates, window: { now: number; expiresAt: number }): PreviewCost {
  const cpu = requests.cpuCores * rates.cpuCoreHour;
  const memory = (requests.memoryBytes / GiB) * rates.memoryGiBHour;
  const storage = ((requests.storageBytes / GiB) * rates.storageGiBMonth) / rates.hoursPerMonth;
  const perHour = cpu + memory + storage;
  const hoursToExpiry = Math.max(0, window.expiresAt - window.now) / HOUR_MS;
  return {
    currency: rates.currency,
    perHour: roundCents(perHour, 4),
    breakdownPerHour: { cpu: roundCents(cpu, 4), memory: roundCents(memory, 4), storage: roundCents(storage, 4) },
    projectedToExpiry: roundCents(perHour * hoursToExpiry, 2),
    hoursToExpiry: Math.round(hoursToExpiry * 100) / 100,
    requests,
  };
}

function roundCents(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
