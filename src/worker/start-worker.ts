import type { KubeConfig } from '@kubernetes/client-node';
import type { WorkerMetrics } from '../observability/worker-metrics';
import type { PreviewdProcess, ProcessBase } from '../process/bootstrap';
import { ClusterWatch } from './cluster-watch';
import { createWorker, type PreviewdWorker } from './create-worker';
import { databaseContextFromConfig } from './database-context';
import { startJanitorClient } from './janitor-schedule';
import { ensureNamespaceSearchAttributes } from './search-attributes';
import { writeRedeliverySchedule } from './webhook-redelivery-schedule';
import { activitiesFromConfig } from './worker-activities';
import { promoteAndWake } from './worker-versioning';

export interface WorkerParts {
  readonly kubeConfig: KubeConfig;
  /** The worker's metrics; their registry also takes the activities' (cost, janitor). */
  readonly metrics: WorkerMetrics;
  /** The Temporal UI, for links from the PR comment to the run (dev mode). */
  readonly uiUrl?: string;
}

/**
 * What the worker process and dev mode both run: the namespace's search attributes checked,
 * the janitor's client and schedule, the lost-delivery recovery schedule, the database server's admin pool (when configured), then
 * the worker with the real activities. Each part is registered with the process, so it stops
 * before what it depends on; a worker that dies on its own ends the process.
 *
 * A namespace without previewd's search attributes ends the start here, before the worker
 * polls: the process exits 1 with the commands that fix it, and /readyz never turned 200. A
 * crash-looping pod with the fix in its last log line is what a platform team notices and
 * acts on at deploy time; a pod that stays Running but unready is easily taken for a slow
 * start, and a worker that polled anyway would take tasks it can only fail.
 */
export async function startWorker(proc: PreviewdProcess, base: ProcessBase, parts: WorkerParts): Promise<PreviewdWorker> {
  const { config, logger, tracing } = base;
  await ensureNamespaceSearchAttributes(config, logger);
  const janitor = await startJanitorClient(config, logger);
  proc.onStop('janitor client', () => janitor.close());
  await writeRedeliverySchedule(janitor.client, config, logger);
  const database = databaseContextFromConfig(config, parts.kubeConfig);
  // Registered before the worker, so it is closed after the worker's last activity finished.
  if (database) proc.onStop('database pool', () => database.close());
  const activities = activitiesFromConfig(config, parts.kubeConfig, { metricsRegistry: parts.metrics.registry, temporalClient: janitor.client, uiUrl: parts.uiUrl, database });
  const worker = await createWorker({ config, activities, metrics: parts.metrics, tracing });
  proc.onStop('worker', () => worker.stop());
  if (config.worker.clusterWatch && config.cluster) {
    // Stops before the worker (newest first): no wake-ups for a worker that is draining.
    const watch = new ClusterWatch({ kubeConfig: parts.kubeConfig, settings: config.cluster, client: janitor.client, logger });
    watch.start();
    proc.onStop('cluster watch', () => watch.stop());
  }
  const deployment = config.worker.deployment;
  if (deployment?.setCurrent) {
    const abort = new AbortController();
    const promoting = promoteAndWake(janitor.client, deployment, logger, abort.signal);
    proc.onStop('worker version promotion', async () => {
      abort.abort();
      await promoting;
    });
  }
  proc.watch('worker', worker.done);
  return worker;
}
