import type { ClusterSettings } from '../kubernetes/cluster-settings';
import { ConfigError } from '../errors';
import { WEBHOOK_SECRET_ENV } from './env-vars';
import type { PreviewdConfig } from './previewd-config';

// Sections only some processes need. previewctl runs without cluster settings and webhook
// secrets; the worker and the ingress refuse to start without theirs, naming the field.

export function requireClusterSettings(config: PreviewdConfig): ClusterSettings {
  if (config.cluster) return config.cluster;
  throw new ConfigError('cluster', 'invalid previewd config: cluster: the worker needs cluster settings (at least cluster.baseEnvironment and cluster.domain); see docs/config.md');
}

export function requireWebhookSecrets(config: PreviewdConfig): readonly string[] {
  if (config.github.webhookSecrets.length > 0) return config.github.webhookSecrets;
  throw new ConfigError('github.webhookSecrets', `invalid previewd config: github.webhookSecrets: the ingress needs at least one webhook secret (set ${WEBHOOK_SECRET_ENV} or github.webhookSecrets)`);
}
