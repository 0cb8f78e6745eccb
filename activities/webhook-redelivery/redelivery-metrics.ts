import { Gauge, type Counter, type Registry } from 'prom-client';
import { counterOn } from '../metrics/registry-metrics';

// Lost-delivery recovery must be visible: redeliveries asked for (and the requests GitHub
// refused), and how many events GitHub still lists as undelivered. A gauge that stays above 0
// after a run means events previewd never received (their one redelivery failed too, or they
// are past `maxPerRun`): someone should look.

export const WEBHOOK_REDELIVERIES_METRIC = 'previewd_webhook_redeliveries_total';
export const WEBHOOK_FAILED_DELIVERIES_METRIC = 'previewd_webhook_failed_deliveries';

export const REDELIVERY_OUTCOMES = ['requested', 'failed'] as const;
export type RedeliveryOutcome = (typeof REDELIVERY_OUTCOMES)[number];

function gaugeOn(registry: Registry, name: string, help: string): Gauge {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Gauge) return existing;
  return new Gauge({ name, help, registers: [registry] });
}

export class RedeliveryMetrics {
  private readonly redeliveries: Counter<'outcome'>;
  private readonly failedDeliveries: Gauge;

  constructor(registry: Registry) {
    this.redeliveries = counterOn(registry, WEBHOOK_REDELIVERIES_METRIC, 'Redeliveries of failed webhook deliveries previewd asked GitHub for, by outcome of the request', ['outcome']);
    this.failedDeliveries = gaugeOn(registry, WEBHOOK_FAILED_DELIVERIES_METRIC, "Webhook events in the look-back window that GitHub lists with no successful delivery, at the last scan");
    // Both outcomes exist from the start, so a rate() over them is 0 rather than absent.
    for (const outcome of REDELIVERY_OUTCOMES) this.redeliveries.inc({ outcome }, 0);
  }

  redelivery(outcome: RedeliveryOutcome): void {
    this.redeliveries.inc({ outcome });
  }

  failedSeen(count: number): void {
    this.failedDeliveries.set(count);
  }
}
