import { Histogram, Summary, type Registry } from 'prom-client';
import { AiMetrics } from '../../../activities/ai';
import { CostMetrics } from '../../../activities/cost';
import { JanitorMetrics } from '../../../activities/janitor';
import { PreviewDurationMetrics } from '../../../activities/metrics';
import { createIngressMetrics } from '../../../src/ingress/ingress-metrics';
import { createWorkerMetrics } from '../../../src/observability/worker-metrics';

// The metric names previewd's two processes register, taken from the real registries (the
// worker's with everything its activities add, and the ingress's), and the names PromQL in the
// chart's alerts and dashboard refers to. Temporal's own core metrics are not previewd's and are
// not listed: an alert or panel on them would need its own check.

/** Every series name a scrape of previewd can return: histograms and summaries as their _bucket/_sum/_count series. */
export function previewdSeriesNames(): ReadonlySet<string> {
  const worker = createWorkerMetrics();
  new JanitorMetrics(worker.registry);
  new AiMetrics(worker.registry);
  new CostMetrics(worker.registry);
  new PreviewDurationMetrics(worker.registry);
  const ingress = createIngressMetrics();
  const names = new Set<string>();
  for (const registry of [worker.registry, ingress.registry] as Registry[]) {
    for (const metric of registry.getMetricsAsArray()) {
      const name = (metric as unknown as { name: string }).name;
      if (metric instanceof Histogram) for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
      else if (metric instanceof Summary) for (const suffix of ['', '_sum', '_count']) names.add(name + suffix);
      else names.add(name);
    }
  }
  return names;
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/**
 * The metric names a PromQL expression selects. Strings, label matchers, ranges, grouping
 * clauses and Grafana variables are removed first; what is left that is not a function call
 * or a keyword is a metric name.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const rest = stripped.slice((match.index ?? 0) + match[0].length);
    if (/^\s*\(/.test(rest) || KEYWORDS.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names];
}
