import { Client, Connection, type ClientInterceptors } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { PreviewdConfig } from '../config';
import { clientConnectionOptions } from '../temporal-client';
import { tracingClientInterceptors } from '../observability/client-tracing';
import type { Tracing } from '../observability/tracing';
import type { PreviewdProcess, ProcessBase } from '../process/bootstrap';
import { buildIngress, WEBHOOK_PATH } from './build-ingress';
import type { IngressMetrics } from './ingress-metrics';

// The ingress as a running server. The Temporal connection is lazy: the ingress starts (and
// answers /healthz) while Temporal is down, reports unready, and answers deliveries 503 until
// Temporal is back — GitHub then lets them be redelivered.

export interface RunningIngress {
  readonly app: FastifyInstance;
  /** `http://host:port` it listens on. */
  readonly url: string;
  readonly webhookUrl: string;
  close(): Promise<void>;
}

/** `interceptors`: tracing's client interceptors, so a delivery's trace continues into the workflow. */
export function temporalClient(config: Pick<PreviewdConfig, 'temporal'>, interceptors?: ClientInterceptors): Client {
  const connection = Connection.lazy(clientConnectionOptions(config.temporal));
  return new Client({ connection, namespace: config.temporal.namespace, interceptors });
}

export async function startIngress(options: { config: PreviewdConfig; logger: Logger; client?: Client; metrics?: IngressMetrics; tracing?: Tracing }): Promise<RunningIngress> {
  const { config, logger, tracing } = options;
  const client = options.client ?? temporalClient(config, tracingClientInterceptors(tracing));
  const app = await buildIngress({ config, client, logger, metrics: options.metrics, tracer: tracing?.tracer });
  const address = await app.listen({ host: config.ingress.host, port: config.ingress.port });
  // Listening on 0.0.0.0 is reachable as localhost; print what a person can paste.
  const url = address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://127.0.0.1');
  return {
    app,
    url,
    webhookUrl: `${url}${WEBHOOK_PATH}`,
    async close() {
      await app.close();
      if (!options.client) await client.connection.close();
    },
  };
}

/**
 * What the ingress process and dev mode both run: the ingress, listening, registered with the
 * process so it stops taking deliveries first. With tracing, a delivery's trace continues into
 * the workflow.
 */
export async function serveIngress(proc: PreviewdProcess, base: ProcessBase, options: { metrics?: IngressMetrics } = {}): Promise<RunningIngress> {
  const { config, logger, tracing } = base;
  if (config.repositories.length === 0) logger.warn('no repositories configured: every delivery will be ignored');
  const ingress = await startIngress({ config, logger, metrics: options.metrics, tracing });
  proc.onStop('ingress', () => ingress.close());
  logger.info({ webhookUrl: ingress.webhookUrl, repositories: config.repositories.map((r) => r.fullName) }, 'ingress listening');
  return ingress;
}
