import type { FastifyInstance } from 'fastify';
import type { IngressMetrics } from './ingress-metrics';

// /healthz: the process serves. /readyz: it can do its job, i.e. Temporal answers; a load
// balancer takes an unready replica out instead of letting it answer 503 to GitHub.

// Probes and scrapes arrive every few seconds: their request lines would drown the deliveries.
const quiet = { logLevel: 'warn' } as const;

export function registerHealthRoutes(app: FastifyInstance, deps: { ready: () => Promise<boolean>; metrics: IngressMetrics }): void {
  app.get('/healthz', quiet, (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/readyz', quiet, async (_request, reply) => {
    if (await deps.ready()) return { status: 'ready' };
    return reply.code(503).send({ status: 'unready', reason: 'Temporal is not reachable' });
  });
  app.get('/metrics', quiet, async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });
}
