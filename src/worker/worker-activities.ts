import type { KubeConfig } from '@kubernetes/client-node';
import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import { createActivities } from '../../activities';
import type { JanitorActivities, PreviewActivities } from '../../workflows/contract';
import { requireClusterSettings, type PreviewdConfig } from '../config';

// Config → the activity dependencies: one place decides which optional parts (GitHub, AI)
// are switched on, so dev mode and the deployed worker behave alike.

export function activitiesFromConfig(config: PreviewdConfig, kubeConfig: KubeConfig, options: { metricsRegistry?: Registry; uiUrl?: string; temporalClient?: Client } = {}): PreviewActivities & JanitorActivities {
  const { github, ai } = config;
  const uiUrl = options.uiUrl;
  return createActivities({
    kubernetes: { kubeConfig, settings: requireClusterSettings(config) },
    github: github.auth && {
      auth: github.auth,
      apiBaseUrl: github.apiBaseUrl,
      budget: config.budget,
      ...(uiUrl && { workflowUrl: (id: string) => `${uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(id)}` }),
    },
    ai: ai.enabled ? { baseURL: ai.baseUrl, apiKey: ai.apiKey, model: ai.model, timeoutMs: ai.timeoutMs, perMinute: ai.perMinute } : undefined,
    rates: config.rates,
    budget: config.budget,
    metricsRegistry: options.metricsRegistry,
    temporalClient: options.temporalClient,
  });
}
