import { Counter, type Registry } from 'prom-client';
import { SKIP_REASONS, type SkipReason } from '../../workflows/contract';

// Janitor deletions must be countable: an orphan rate that is not zero means some path of
// the lifecycle leaks namespaces. Skips by reason show why the janitor held back (a steady
// `owner-unconfirmed` means it cannot see Temporal visibility at all).

export const JANITOR_DELETED_METRIC = 'previewd_janitor_namespaces_deleted_total';
export const JANITOR_SKIPPED_METRIC = 'previewd_janitor_namespaces_skipped_total';

/** A counter already on the registry is reused: counts must survive a second activity set (tests, dev mode). */
function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
}

export class JanitorMetrics {
  private readonly deletedTotal: Counter;
  private readonly skippedTotal: Counter<'reason'>;

  constructor(registry: Registry) {
    this.deletedTotal = counter(registry, JANITOR_DELETED_METRIC, 'Orphaned preview namespaces the janitor tore down', []);
    this.skippedTotal = counter(registry, JANITOR_SKIPPED_METRIC, 'Preview namespaces the janitor examined and left alone, by reason', ['reason']);
    // Every reason exists from the start, so a rate() over it is 0 rather than absent.
    for (const reason of SKIP_REASONS) this.skippedTotal.inc({ reason }, 0);
  }

  deleted(): void {
    this.deletedTotal.inc();
  }

  skipped(reason: SkipReason): void {
    this.skippedTotal.inc({ reason });
  }
}
