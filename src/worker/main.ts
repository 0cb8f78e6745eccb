// The worker process: `node dist/src/worker/main.js`. Reads config (env + optional YAML), runs
// the lifecycle workflows and their activities, and stops gracefully on SIGTERM/SIGINT.
import { loadConfig, requireClusterSettings } from '../config';
import { createLogger } from '../observability/logger';
import { installTemporalLogging } from '../observability/temporal-runtime';
import { startTracing } from '../observability/tracing';
import { createWorkerMetrics } from '../observability/worker-metrics';
import { activitiesFromConfig } from './worker-activities';
import { createWorker, type PreviewdWorker } from './create-worker';
import { describeCluster, loadKubeConfig } from './kube-config';
import { startJanitorClient } from './janitor-schedule';
import { startWorkerHttp } from './worker-http';

async function main(): Promise<void> {
  const config = loadConfig();
  requireClusterSettings(config);
  const logger = createLogger({ level: config.log.level, name: 'previewd-worker' });
  // Before anything creates Temporal's runtime: SDK, workflow and activity logs become JSON lines too.
  installTemporalLogging(logger);
  const tracing = startTracing({ otlpEndpoint: config.telemetry.otlpEndpoint, serviceName: `${config.telemetry.serviceName}-worker` });
  const metrics = createWorkerMetrics();
  // Probes are answered while the workflows are bundled (seconds): alive, not yet ready.
  const started: { worker?: PreviewdWorker } = {};
  const http = await startWorkerHttp({
    ...config.worker,
    state: () => started.worker?.worker.getState() ?? 'INITIALIZED',
    temporalReachable: () => started.worker?.temporalReachable() ?? Promise.resolve(false),
    registry: metrics.registry,
    logger,
  });
  const kubeConfig = loadKubeConfig(config.kubernetes);
  const janitor = await startJanitorClient(config, logger);
  const worker = await createWorker({ config, activities: activitiesFromConfig(config, kubeConfig, { metricsRegistry: metrics.registry, temporalClient: janitor.client }), metrics, tracing });
  started.worker = worker;
  logger.info({ temporal: config.temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, cluster: describeCluster(kubeConfig), http: http.url }, 'worker started');
  const stop = () => void worker.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.done;
  await janitor.close();
  await http.close();
  await tracing?.shutdown();
  logger.info('worker stopped');
}

main().catch((err: unknown) => {
  process.stderr.write(`previewd worker: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
