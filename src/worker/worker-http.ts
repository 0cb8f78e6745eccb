import type { State as WorkerState } from '@temporalio/worker';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { WorkflowTaskTrouble } from '../observability/workflow-task-failures';

// The worker's HTTP side, for the kubelet and Prometheus (the chart probes port `http`, 9464):
// - /healthz (liveness): the worker has not failed or stopped for good; a restart would help.
// - /readyz (readiness): the worker polls (RUNNING), Temporal answers, and its workflow tasks
//   are not failing over and over for one reason. A worker whose every task is rejected
//   (BadSearchAttributes) polls happily and would otherwise look fine; unready, it shows in
//   `kubectl get pods`, stalls a rollout that introduced it, and fires the usual unready-pod
//   alerts. It is not dead: it keeps polling, so it recovers as soon as the cause is fixed
//   without a restart, and /healthz stays 200 (a restart would not help).
// - /metrics: step durations, previews by phase, cost, janitor deletions, process metrics, and
//   the Temporal Core SDK's own (`temporal_*`: slots, sticky cache, schedule-to-start latency),
//   read from Core's loopback exporter on each scrape so Prometheus scrapes one port.

export interface WorkerHttpDeps {
  readonly state: () => WorkerState;
  /** Whether Temporal answers now (a cheap call with a short deadline). */
  readonly temporalReachable: () => Promise<boolean>;
  readonly registry: Registry;
  readonly logger?: Logger;
  /** Core's Prometheus exporter (`http://127.0.0.1:9465/metrics`); absent: previewd's metrics only. */
  readonly coreMetricsUrl?: string;
  /** Workflow tasks failing repeatedly for one reason (WorkflowTaskFailures.trouble); absent: not checked. */
  readonly taskTrouble?: () => WorkflowTaskTrouble | undefined;
}

const CORE_SCRAPE_TIMEOUT_MS = 2_000;

/** Core's exposition text, or a comment saying why it is missing (a scrape must not fail for it). */
async function coreMetrics(url: string): Promise<string> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(CORE_SCRAPE_TIMEOUT_MS) });
    if (!res.ok) return `# Temporal Core metrics unavailable: HTTP ${res.status}\n`;
    return await res.text();
  } catch (err) {
    return `# Temporal Core metrics unavailable: ${(err as Error).message}\n`;
  }
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
    const trouble = deps.taskTrouble?.();
    if (trouble) {
      const reason = `workflow tasks keep failing: ${trouble.reason} (${trouble.count} in the last ${trouble.windowSeconds} s): ${trouble.lastDetail}`;
      return reply.code(503).send({ status: 'degraded', worker: state, reason, workflowTaskFailures: trouble });
    }
    return { status: 'ready', worker: state };
  });
  app.get('/metrics', quiet, async (_request, reply) => {
    const [own, core] = await Promise.all([deps.registry.metrics(), deps.coreMetricsUrl ? coreMetrics(deps.coreMetricsUrl) : Promise.resolve('')]);
    return reply.type(deps.registry.contentType).send(core ? `${own.trimEnd()}\n${core}` : own);
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
