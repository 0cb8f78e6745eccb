import { Gauge, register as defaultRegistry, type Registry } from 'prom-client';
import type { PreviewRef } from '../../workflows/contract';

// Cost as Prometheus gauges, one series per open preview. The projection to expiry shrinks
// as time passes, so it is computed when Prometheus scrapes, not when the cost was measured.
// Series disappear once their preview has expired (or when forgotten explicitly), so a torn
// down preview does not stay on a dashboard forever.

interface Entry {
  readonly labels: { repository: string; pr: string; currency: string };
  readonly perHour: number;
  readonly expiresAt: number;
}

export const COST_PER_HOUR_METRIC = 'previewd_preview_cost_per_hour';
export const COST_PROJECTED_METRIC = 'previewd_preview_cost_projected_to_expiry';

const LABELS = ['repository', 'pr', 'currency'] as const;

export class CostMetrics {
  private readonly entries = new Map<string, Entry>();

  constructor(
    registry: Registry = defaultRegistry,
    private readonly now: () => number = Date.now,
  ) {
    const collect = (gauge: Gauge<(typeof LABELS)[number]>, value: (e: Entry) => number) => {
      gauge.reset();
      const t = this.now();
      for (const [key, e] of this.entries) {
        if (e.expiresAt <= t) this.entries.delete(key);
        else gauge.set(e.labels, value(e));
      }
    };
    registerGauge(registry, COST_PER_HOUR_METRIC, 'Hourly cost of a preview: requests × rates', function (this: Gauge<(typeof LABELS)[number]>) {
      collect(this, (e) => e.perHour);
    });
    registerGauge(registry, COST_PROJECTED_METRIC, 'Cost of a preview from now until it expires, at its current hourly cost', function (this: Gauge<(typeof LABELS)[number]>) {
      collect(this, (e) => Math.round(((e.perHour * Math.max(0, e.expiresAt - now())) / 3_600_000) * 10_000) / 10_000);
    });
  }

  record(preview: PreviewRef, cost: { perHour: number; currency: string }, expiresAt: number): void {
    this.entries.set(key(preview), { labels: { repository: preview.repository, pr: String(preview.prNumber), currency: cost.currency }, perHour: cost.perHour, expiresAt });
  }

  forget(preview: PreviewRef): void {
    this.entries.delete(key(preview));
  }
}

function key(preview: PreviewRef): string {
  return `${preview.repository.toLowerCase()}#${preview.prNumber}`;
}

function registerGauge(registry: Registry, name: string, help: string, collect: (this: Gauge<(typeof LABELS)[number]>) => void): void {
  // One set of gauges per registry: a second CostMetrics on the same registry replaces the first's collector.
  registry.removeSingleMetric(name);
  new Gauge({ name, help, labelNames: [...LABELS], registers: [registry], collect });
}
