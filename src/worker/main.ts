// The worker process: `node dist/src/worker/main.js`. Reads config (env + optional YAML), runs
// the lifecycle workflows, the janitor and their activities, serves /healthz, /readyz and
// /metrics, and stops gracefully on SIGTERM/SIGINT (src/process/bootstrap.ts).
import { loadConfig, requireClusterSettings } from '../config';
import { coreMetricsAddress } from '../observability/temporal-runtime';
import { createWorkerMetrics } from '../observability/worker-metrics';
import { PreviewdProcess } from '../process/bootstrap';
import type { PreviewdWorker } from './create-worker';
import { describeCluster, loadKubeConfig } from './kube-config';
import { startWorker } from './start-worker';
import { startWorkerHttp } from './worker-http';

const proc = new PreviewdProcess('worker');

proc.run(async () => {
  const config = loadConfig();
  requireClusterSettings(config);
  const { logger, tracing } = proc.bootstrap({ config, temporalLogging: true });
  const metrics = createWorkerMetrics();
  // Probes are answered while the workflows are bundled (seconds): alive, not yet ready.
  const started: { worker?: PreviewdWorker } = {};
  const http = await startWorkerHttp({
    ...config.worker,
    state: () => started.worker?.worker.getState() ?? 'INITIALIZED',
    temporalReachable: () => started.worker?.temporalReachable() ?? Promise.resolve(false),
    registry: metrics.registry,
    taskTrouble: () => metrics.taskFailures.trouble(),
    logger,
    ...(config.worker.coreMetricsPort > 0 && { coreMetricsUrl: `http://${coreMetricsAddress(config.worker.coreMetricsPort)}/metrics` }),
  });
  proc.onStop('health and metrics server', () => http.close());
  const kubeConfig = loadKubeConfig(config.kubernetes);
  started.worker = await startWorker(proc, { config, logger, tracing }, { kubeConfig, metrics });
  logger.info({ temporal: config.temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, cluster: describeCluster(kubeConfig), http: http.url }, 'worker started');
});
