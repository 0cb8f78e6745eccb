import { Registry } from 'prom-client';
import { CostMetrics, createCostActivities, InvalidExpiryError } from '../../../activities/cost';
import { costRatesSchema } from '../../../src/config';

const GiB = 2 ** 30;
const now = Date.parse('2026-11-23T10:00:00Z');
const preview = { repository: 'acme/shop', repoKey: 'shop', prNumber: 42 };
const expiresAt = '2026-11-23T14:00:00.000Z';
// What readWorkloads reports for 2 cores, 4 GiB and a 73 GiB volume.
const readWorkloads = jest.fn(() => Promise.resolve({ namespace: 'pr-shop-42', totals: { cpuCores: 2, memoryBytes: 4 * GiB, storageBytes: 73 * GiB } }));

describe('computeCost activity', () => {
  beforeEach(() => readWorkloads.mockClear());

  it("prices the namespace's requests with seed 004's rates, per hour and to expiry", async () => {
    const { computeCost } = createCostActivities({ readWorkloads, clock: { now: () => now } });
    const cost = await computeCost({ preview, expiresAt });
    expect(readWorkloads).toHaveBeenCalledWith({ preview });
    expect(cost).toEqual({
      currency: 'USD',
      perHour: 0.11,
      projectedToExpiry: 0.44,
      namespace: 'pr-shop-42',
      breakdownPerHour: { cpu: 0.08, memory: 0.02, storage: 0.01 },
      requests: { cpuCores: 2, memoryBytes: 4 * GiB, storageBytes: 73 * GiB },
      hoursToExpiry: 4,
      budget: { status: 'unbounded' },
    });
  });

  it('uses configured rates and reports a budget overrun with the configured action', async () => {
    const rates = costRatesSchema.parse({ cpuCoreHour: 1, currency: 'EUR' });
    const { computeCost } = createCostActivities({ readWorkloads, rates, budget: { perPreview: 5, onExceed: 'block' }, clock: { now: () => now } });
    const cost = await computeCost({ preview, expiresAt });
    expect(cost).toMatchObject({ currency: 'EUR', perHour: 2.03, projectedToExpiry: 8.12 });
    expect(cost.budget).toMatchObject({ status: 'exceeded', action: 'block', limit: 5, projected: 8.12 });
  });

  it('refuses an expiry that is not a time, as a non-retryable ValidationError', async () => {
    const { computeCost } = createCostActivities({ readWorkloads });
    await expect(computeCost({ preview, expiresAt: 'soon' })).rejects.toThrow(InvalidExpiryError);
    await expect(computeCost({ preview, expiresAt: 'soon' })).rejects.toMatchObject({ name: 'ValidationError' });
    expect(readWorkloads).not.toHaveBeenCalled();
  });
});

describe('CostMetrics', () => {
  it('exports the hourly cost and a projection that shrinks as time passes, until the preview expires', async () => {
    let t = now;
    const registry = new Registry();
    const metrics = new CostMetrics(registry, () => t);
    const { computeCost } = createCostActivities({ readWorkloads, clock: { now: () => t }, metrics });
    await computeCost({ preview, expiresAt });

    const labels = 'repository="acme/shop",pr="42",currency="USD"';
    expect(await registry.metrics()).toContain(`previewd_preview_cost_per_hour{${labels}} 0.11`);
    expect(await registry.metrics()).toContain(`previewd_preview_cost_projected_to_expiry{${labels}} 0.44`);
    t = now + 3 * 3_600_000;
    expect(await registry.metrics()).toContain(`previewd_preview_cost_projected_to_expiry{${labels}} 0.11`);
    t = Date.parse(expiresAt);
    expect(await registry.metrics()).not.toContain('acme/shop');
  });

  it('forgets a preview on request', async () => {
    const registry = new Registry();
    const metrics = new CostMetrics(registry, () => now);
    metrics.record(preview, { perHour: 1, currency: 'USD' }, now + 3_600_000);
    metrics.forget(preview);
    expect(await registry.metrics()).not.toContain('acme/shop');
  });
});
