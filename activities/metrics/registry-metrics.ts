import { Counter, Histogram, type Registry } from 'prom-client';

// Metrics the activities put on the worker's registry. One metric per name and registry: a
// second activity set on the same registry (dev mode, tests) reuses the first one's metric, so
// counts survive instead of a registration error or a silently replaced series.

export function counterOn<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
}

export function histogramOn<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], buckets: readonly number[]): Histogram<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Histogram) return existing;
  return new Histogram({ name, help, labelNames: [...labelNames], buckets: [...buckets], registers: [registry] });
}
