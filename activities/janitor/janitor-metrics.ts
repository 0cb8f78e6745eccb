import type { Counter, Registry } from 'prom-client';
import { APPLICATION_SKIP_REASONS, DATABASE_SKIP_REASONS, SKIP_REASONS, type ApplicationSkipReason, type DatabaseSkipReason, type SkipReason } from '../../workflows/contract';
import { counterOn } from '../metrics/registry-metrics';

// Janitor deletions must be countable: an orphan rate that is not zero means some path of
// the lifecycle leaks namespaces. Skips by reason show why the janitor held back (a steady
// `owner-unconfirmed` means it cannot see Temporal visibility at all).

export const JANITOR_DELETED_METRIC = 'previewd_janitor_namespaces_deleted_total';
export const JANITOR_SKIPPED_METRIC = 'previewd_janitor_namespaces_skipped_total';
export const JANITOR_DATABASES_DROPPED_METRIC = 'previewd_janitor_databases_dropped_total';
export const JANITOR_DATABASES_SKIPPED_METRIC = 'previewd_janitor_databases_skipped_total';
export const JANITOR_APPLICATIONS_DELETED_METRIC = 'previewd_janitor_applications_deleted_total';
export const JANITOR_APPLICATIONS_SKIPPED_METRIC = 'previewd_janitor_applications_skipped_total';

export class JanitorMetrics {
  private readonly deletedTotal: Counter;
  private readonly skippedTotal: Counter<'reason'>;
  private readonly databasesDroppedTotal: Counter;
  private readonly databasesSkippedTotal: Counter<'reason'>;
  private readonly applicationsDeletedTotal: Counter;
  private readonly applicationsSkippedTotal: Counter<'reason'>;

  constructor(registry: Registry) {
    this.deletedTotal = counterOn(registry, JANITOR_DELETED_METRIC, 'Orphaned preview namespaces the janitor tore down', []);
    this.skippedTotal = counterOn(registry, JANITOR_SKIPPED_METRIC, 'Preview namespaces the janitor examined and left alone, by reason', ['reason']);
    this.databasesDroppedTotal = counterOn(registry, JANITOR_DATABASES_DROPPED_METRIC, 'Orphaned preview databases (and their roles) the janitor dropped', []);
    this.databasesSkippedTotal = counterOn(registry, JANITOR_DATABASES_SKIPPED_METRIC, 'Preview databases the janitor examined and left alone, by reason', ['reason']);
    this.applicationsDeletedTotal = counterOn(registry, JANITOR_APPLICATIONS_DELETED_METRIC, 'Leftover previewd Argo CD Applications (namespace and owner gone) the janitor deleted', []);
    this.applicationsSkippedTotal = counterOn(registry, JANITOR_APPLICATIONS_SKIPPED_METRIC, 'previewd Argo CD Applications the janitor examined and left alone, by reason', ['reason']);
    // Every reason exists from the start, so a rate() over it is 0 rather than absent.
    for (const reason of SKIP_REASONS) this.skippedTotal.inc({ reason }, 0);
    for (const reason of DATABASE_SKIP_REASONS) this.databasesSkippedTotal.inc({ reason }, 0);
    for (const reason of APPLICATION_SKIP_REASONS) this.applicationsSkippedTotal.inc({ reason }, 0);
  }

  deleted(): void {
    this.deletedTotal.inc();
  }

  skipped(reason: SkipReason): void {
    this.skippedTotal.inc({ reason });
  }

  databaseDropped(): void {
    this.databasesDroppedTotal.inc();
  }

  databaseSkipped(reason: DatabaseSkipReason): void {
    this.databasesSkippedTotal.inc({ reason });
  }

  applicationDeleted(): void {
    this.applicationsDeletedTotal.inc();
  }

  applicationSkipped(reason: ApplicationSkipReason): void {
    this.applicationsSkippedTotal.inc({ reason });
  }
}
