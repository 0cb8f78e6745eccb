import { KubeConfig } from '@kubernetes/client-node';
import { parseConfig } from '../../../src/config';
import { createWorkerMetrics } from '../../../src/observability';
import { activitiesFromConfig } from '../../../src/worker/worker-activities';

// The worker process serves one registry: its own metrics plus what the activities register
// on the registry it passes them (worker/main.ts). Nothing here talks to a cluster: building
// the activities does no I/O.

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  return kc;
}

test("the worker's registry carries step durations, previews by phase, cost and janitor metrics", async () => {
  const config = parseConfig({ cluster: { baseEnvironment: { name: 'dev', namespace: 'dev' }, domain: 'example.test' } });
  const metrics = createWorkerMetrics({ defaultMetrics: false });
  activitiesFromConfig(config, kubeConfig(), { metricsRegistry: metrics.registry });
  const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
  expect(names).toEqual(
    expect.arrayContaining(['previewd_step_duration_seconds', 'previewd_previews', 'previewd_previews_visibility_errors_total', 'previewd_preview_cost_per_hour', 'previewd_preview_cost_projected_to_expiry']),
  );
  expect(names.some((name) => name.startsWith('previewd_janitor_'))).toBe(true);
});
