import type { State as WorkerState } from '@temporalio/worker';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

// The worker's HTTP side, for the kubelet and Prometheus (the chart probes port `http`, 9464):
// - /healthz (liveness): the worker has not failed or stopped for good; a restart would help.
// - /readyz (readiness): the worker polls (RUNNING) and Temporal answers.
// - /metrics: step durations, previews by phase, cost, janitor deletions, process metrics.

export interface WorkerHttpDeps {
  readonly state: () => WorkerState;
  /** Whether Temporal answers now (a cheap call with a short deadline). */
  readonly temporalReachable: () => Promise<boolean>;
  readonly registry: Registry;
  readonly logger?: Logger;
}

/** A worker in these states will not recover by itself: the kubelet should restart the pod. */
const DEAD: readonly WorkerState[] = ['FAILED', 'STOPPED'];

// Probes and scrapes arrive every few seconds: their request lines would drown everything else.
const quiet = { logLevel: 'warn' } as const;

/** Not yet listening: `inject()` in tests, `listen()` via startWorkerHttp. */
export function buildWorkerHttp(deps: WorkerHttpDeps): FastifyInstance {
  const loggerInstance: FastifyBaseLogger | undefined = deps.logger;
  const app = Fastify({ ...(loggerInstance && { loggerInstance }), return503OnClosing: true });
  app.get('/healthz', quiet, (_request, reply) => {
    const state = deps.state();
    if (DEAD.includes(state)) return reply.code(503).send({ status: 'dead', worker: state });
    return reply.send({ status: 'ok', worker: state });
  });
  app.get('/readyz', quiet, async (_request, reply) => {
    const state = deps.state();
    if (state !== 'RUNNING') return reply.code(503).send({ status: 'unready', worker: state, reason: `the worker is ${state}` });
    if (!(await deps.temporalReachable())) return reply.code(503).send({ status: 'unready', worker: state, reason: 'Temporal is not reachable' });
    return { status: 'ready', worker: state };
  });
  app.get('/metrics', quiet, async (_request, reply) => {
    const text = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(text);
  });
  return app;
}

export interface RunningWorkerHttp {
  readonly app: FastifyInstance;
  /** `http://host:port` it listens on. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startWorkerHttp(options: WorkerHttpDeps & { readonly host: string; readonly port: number }): Promise<RunningWorkerHttp> {
  const app = buildWorkerHttp(options);
  const address = await app.listen({ host: options.host, port: options.port });
  return {
    app,
    url: address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://127.0.0.1'),
    close: () => app.close(),
  };
}
