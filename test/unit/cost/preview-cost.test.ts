import { checkBudget, computePreviewCost, DEFAULT_COST_RATES } from '../../../src/cost';
import { costRatesSchema } from '../../../src/config';

const GiB = 2 ** 30;
const now = Date.parse('2026-11-23T10:00:00Z');
const inHours = (h: number) => now + h * 3_600_000;

describe('computePreviewCost', () => {
  it("applies seed 004's default rates per hour", () => {
    const cost = computePreviewCost({ cpuCores: 2, memoryBytes: 4 * GiB, storageBytes: 73 * GiB }, DEFAULT_COST_RATES, { now, expiresAt: inHours(4) });
    // 2 × 0.04 + 4 × 0.005 + 73 GiB × 0.10 / 730 h = 0.08 + 0.02 + 0.01
    expect(cost.breakdownPerHour).toEqual({ cpu: 0.08, memory: 0.02, storage: 0.01 });
    expect(cost.perHour).toBe(0.11);
    expect(cost.projectedToExpiry).toBe(0.44);
    expect(cost.hoursToExpiry).toBe(4);
    expect(cost.currency).toBe('USD');
  });

  it('projects nothing once the preview has expired', () => {
    const cost = computePreviewCost({ cpuCores: 1, memoryBytes: 0, storageBytes: 0 }, DEFAULT_COST_RATES, { now, expiresAt: now - 1 });
    expect(cost.perHour).toBe(0.04);
    expect(cost.projectedToExpiry).toBe(0);
  });

  it('uses configured rates', () => {
    const rates = costRatesSchema.parse({ cpuCoreHour: 0.1, memoryGiBHour: 0.01, storageGiBMonth: 0, currency: 'EUR' });
    const cost = computePreviewCost({ cpuCores: 0.5, memoryBytes: 512 * 2 ** 20, storageBytes: 10 * GiB }, rates, { now, expiresAt: inHours(24) });
    expect(cost.perHour).toBe(0.055);
    expect(cost.projectedToExpiry).toBe(1.32);
    expect(cost.currency).toBe('EUR');
  });

  it('rejects negative rates, naming the field', () => {
    const result = costRatesSchema.safeParse({ cpuCoreHour: -1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['cpuCoreHour']);
  });
});

describe('checkBudget', () => {
  const cost = computePreviewCost({ cpuCores: 4, memoryBytes: 0, storageBytes: 0 }, DEFAULT_COST_RATES, { now, expiresAt: inHours(24) });

  it('has no verdict without a budget', () => {
    expect(checkBudget(cost, { onExceed: 'warn' })).toEqual({ status: 'unbounded' });
  });

  it('is within a budget that covers the projection', () => {
    expect(checkBudget(cost, { perPreview: 3.84, onExceed: 'block' })).toEqual({ status: 'within' });
  });

  it('reports an overrun with the configured action', () => {
    const verdict = checkBudget(cost, { perPreview: 3, onExceed: 'block' });
    expect(verdict).toMatchObject({ status: 'exceeded', action: 'block', limit: 3, projected: 3.84 });
    expect(verdict.status === 'exceeded' && verdict.message).toMatch(/3\.84 USD .* budget of 3\.00 USD/);
  });
});
