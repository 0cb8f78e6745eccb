import { Registry } from 'prom-client';
import { createWorkerMetrics, PREVIEWS_ERRORS_METRIC, PREVIEWS_METRIC, STEP_DURATION_METRIC } from '../../../src/observability';

describe('worker metrics', () => {
  it('exposes previews by phase from visibility, and never fails a scrape when visibility does', async () => {
    const metrics = createWorkerMetrics({ defaultMetrics: false, previewsMaxAgeMs: 0 });
    let broken = false;
    metrics.previews.attach((query) => (broken ? Promise.reject(new Error('unavailable')) : Promise.resolve(query.includes("'Ready'") ? 2 : 0)), 'previewd');
    const text = await metrics.registry.metrics();
    expect(text).toContain(`${PREVIEWS_METRIC}{phase="Ready"} 2`);
    expect(text).toContain(`${PREVIEWS_METRIC}{phase="Destroyed"} 0`);
    expect(text).toMatch(/aggregate with max, never sum/);

    broken = true;
    expect(await metrics.registry.metrics()).toContain(`${PREVIEWS_METRIC}{phase="Ready"} 2`);
    // Metrics are serialized concurrently: the error counted during one scrape shows in the next.
    const after = await metrics.registry.metrics();
    expect(after).toContain(`${PREVIEWS_METRIC}{phase="Ready"} 2`);
    expect(after).toContain(`${PREVIEWS_ERRORS_METRIC} 1`);
  });

  it('reports no phase series while no worker is attached', async () => {
    const metrics = createWorkerMetrics({ defaultMetrics: false });
    expect(await metrics.registry.metrics()).not.toContain(`${PREVIEWS_METRIC}{`);
  });

  it('records step durations by step and outcome', async () => {
    const metrics = createWorkerMetrics({ defaultMetrics: false });
    metrics.stepDuration.observe({ step: 'deployApps', outcome: 'success' }, 0.3);
    const text = await metrics.registry.getSingleMetricAsString(STEP_DURATION_METRIC);
    expect(text).toContain(`${STEP_DURATION_METRIC}_count{step="deployApps",outcome="success"} 1`);
  });

  it('shares a registry without registering process metrics twice', async () => {
    const registry = new Registry();
    createWorkerMetrics({ registry });
    expect(await registry.metrics()).toContain('previewd_worker_process_cpu_seconds_total');
    const shared = new Registry();
    createWorkerMetrics({ registry: shared, defaultMetrics: false });
    expect(await shared.metrics()).not.toContain('process_cpu');
  });
});
