// The worker process: `node dist/src/worker/main.js`. Reads config (env + optional YAML), runs
// the lifecycle workflows and their activities, and stops gracefully on SIGTERM/SIGINT.
import { loadConfig, requireClusterSettings } from '../config';
import { createLogger } from '../ingress/ingress-logger';
import { activitiesFromConfig } from './worker-activities';
import { createWorker } from './create-worker';
import { describeCluster, loadKubeConfig } from './kube-config';

async function main(): Promise<void> {
  const config = loadConfig();
  requireClusterSettings(config);
  const logger = createLogger({ level: config.log.level, name: 'previewd-worker' });
  const kubeConfig = loadKubeConfig(config.kubernetes);
  const worker = await createWorker({ config, activities: activitiesFromConfig(config, kubeConfig) });
  logger.info({ temporal: config.temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, cluster: describeCluster(kubeConfig) }, 'worker started');
  const stop = () => void worker.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.done;
  logger.info('worker stopped');
}

main().catch((err: unknown) => {
  process.stderr.write(`previewd worker: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
