import type { KubeConfig } from '@kubernetes/client-node';
import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import { createActivities } from '../../activities';
import type { DatabaseContext } from '../../activities/database';
import type { JanitorActivities, LifecycleActivities, WebhookRedeliveryActivities } from '../../workflows/contract';
import { durationMs, requireClusterSettings, type PreviewdConfig } from '../config';
import { workflowRunsLink } from './temporal-ui-link';

// Config → the activity dependencies: one place decides which optional parts (GitHub, AI and
// its answer cache, the database server) are switched on, so dev mode and the deployed worker
// behave alike.

export interface WorkerActivityOptions {
  readonly metricsRegistry?: Registry;
  readonly uiUrl?: string;
  readonly temporalClient?: Client;
  /** The shared PostgreSQL server (src/worker/database-context.ts); its owner closes it. */
  readonly database?: DatabaseContext;
}

export function activitiesFromConfig(config: PreviewdConfig, kubeConfig: KubeConfig, options: WorkerActivityOptions = {}): LifecycleActivities & JanitorActivities & WebhookRedeliveryActivities {
  const { github, ai } = config;
  const uiUrl = options.uiUrl;
  return createActivities({
    kubernetes: { kubeConfig, settings: requireClusterSettings(config) },
    github: github.auth && {
      auth: github.auth,
      apiBaseUrl: github.apiBaseUrl,
      budget: config.budget,
      ...(uiUrl && { workflowUrl: (id: string) => workflowRunsLink(uiUrl, config.temporal.namespace, id) }),
    },
    ai: ai.enabled ? { baseURL: ai.baseUrl, apiKey: ai.apiKey, model: ai.model, timeoutMs: ai.timeoutMs, perMinute: ai.perMinute } : undefined,
    aiCache: ai.enabled && ai.cache.enabled ? { taskQueue: config.temporal.taskQueue, ttlMs: durationMs(ai.cache.ttl) } : undefined,
    database: options.database,
    rates: config.rates,
    budget: config.budget,
    metricsRegistry: options.metricsRegistry,
    temporalClient: options.temporalClient,
    workerDeploymentName: config.worker.deployment?.name,
  });
}
