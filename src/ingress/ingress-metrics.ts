import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

// What /metrics exposes. Labels only ever hold values previewd chose or GitHub's own event
// names after the signature was verified, so an unauthenticated caller cannot grow the
// series count (an unverified delivery is counted as event "unverified").

export interface IngressMetrics {
  readonly registry: Registry;
  /** Deliveries by event and result (seed 004's previewd_webhook_requests_total, with the outcome). */
  readonly deliveries: Counter<'event' | 'action' | 'result'>;
  /** Time from receipt to reply, i.e. until Temporal durably accepted the event. */
  readonly acceptSeconds: Histogram<'event' | 'result'>;
  /** Calls to Temporal by operation and outcome. */
  readonly temporalCalls: Counter<'operation' | 'outcome'>;
}

export function createIngressMetrics(options: { registry?: Registry; defaultMetrics?: boolean } = {}): IngressMetrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'previewd_ingress_' });
  return {
    registry,
    deliveries: new Counter({
      name: 'previewd_webhook_deliveries_total',
      help: 'GitHub webhook deliveries by event, action and result',
      labelNames: ['event', 'action', 'result'],
      registers: [registry],
    }),
    acceptSeconds: new Histogram({
      name: 'previewd_webhook_accept_seconds',
      help: 'Time from receiving a delivery to replying (for accepted ones: until Temporal durably accepted it)',
      labelNames: ['event', 'result'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    temporalCalls: new Counter({
      name: 'previewd_temporal_calls_total',
      help: 'Temporal calls made by the ingress, by operation and outcome',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    }),
  };
}
