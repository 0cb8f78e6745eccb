// Environment variables that set config fields. One table, so the loader, the error messages
// ("… (from PREVIEWD_INGRESS_PORT)") and docs/config.md agree on every name. Secrets are
// usually injected this way (Kubernetes Secrets as env vars), so each has a variable.

export type EnvValueKind = 'string' | 'integer' | 'boolean';

export interface EnvBinding {
  readonly name: string;
  /** Dotted config path the variable sets. */
  readonly path: string;
  readonly kind: EnvValueKind;
}

const bind = (name: string, path: string, kind: EnvValueKind = 'string'): EnvBinding => ({ name, path, kind });

/** The optional YAML file; variables below override what it says. */
export const CONFIG_FILE_ENV = 'PREVIEWD_CONFIG';

export const ENV_BINDINGS: readonly EnvBinding[] = [
  bind('PREVIEWD_TEMPORAL_ADDRESS', 'temporal.address'),
  bind('PREVIEWD_TEMPORAL_NAMESPACE', 'temporal.namespace'),
  bind('PREVIEWD_TEMPORAL_TASK_QUEUE', 'temporal.taskQueue'),
  bind('PREVIEWD_TEMPORAL_API_KEY', 'temporal.apiKey'),
  bind('PREVIEWD_TEMPORAL_TLS', 'temporal.tls.enabled', 'boolean'),
  bind('PREVIEWD_TEMPORAL_TLS_SERVER_NAME', 'temporal.tls.serverName'),
  bind('PREVIEWD_TEMPORAL_TLS_CA_FILE', 'temporal.tls.caFile'),
  bind('PREVIEWD_TEMPORAL_TLS_CERT_FILE', 'temporal.tls.certFile'),
  bind('PREVIEWD_TEMPORAL_TLS_KEY_FILE', 'temporal.tls.keyFile'),
  bind('PREVIEWD_TEMPORAL_REGISTER_SEARCH_ATTRIBUTES', 'temporal.registerSearchAttributes', 'boolean'),
  bind('PREVIEWD_KUBECONFIG', 'kubernetes.kubeconfig'),
  bind('PREVIEWD_KUBE_CONTEXT', 'kubernetes.context'),
  bind('PREVIEWD_GITHUB_API_URL', 'github.apiBaseUrl'),
  bind('PREVIEWD_AI_ENABLED', 'ai.enabled', 'boolean'),
  bind('PREVIEWD_AI_BASE_URL', 'ai.baseUrl'),
  bind('PREVIEWD_AI_MODEL', 'ai.model'),
  bind('PREVIEWD_AI_API_KEY', 'ai.apiKey'),
  bind('PREVIEWD_AI_TIMEOUT_MS', 'ai.timeoutMs', 'integer'),
  bind('PREVIEWD_AI_PER_MINUTE', 'ai.perMinute', 'integer'),
  bind('PREVIEWD_AI_CACHE_ENABLED', 'ai.cache.enabled', 'boolean'),
  bind('PREVIEWD_AI_CACHE_TTL', 'ai.cache.ttl'),
  bind('PREVIEWD_INGRESS_HOST', 'ingress.host'),
  bind('PREVIEWD_INGRESS_PORT', 'ingress.port', 'integer'),
  bind('PREVIEWD_INGRESS_BODY_LIMIT_BYTES', 'ingress.bodyLimitBytes', 'integer'),
  bind('PREVIEWD_JANITOR_ENABLED', 'janitor.enabled', 'boolean'),
  bind('PREVIEWD_JANITOR_DRY_RUN', 'janitor.dryRun', 'boolean'),
  bind('PREVIEWD_WEBHOOK_REDELIVERY_ENABLED', 'webhookRedelivery.enabled', 'boolean'),
  bind('PREVIEWD_LOG_LEVEL', 'log.level'),
  bind('PREVIEWD_WORKER_HOST', 'worker.host'),
  bind('PREVIEWD_WORKER_PORT', 'worker.port', 'integer'),
  bind('PREVIEWD_WORKER_MAX_CACHED_WORKFLOWS', 'worker.tuning.maxCachedWorkflows', 'integer'),
  bind('PREVIEWD_WORKER_ACTIVITY_SLOTS', 'worker.tuning.maxConcurrentActivityTaskExecutions', 'integer'),
  bind('PREVIEWD_WORKER_WORKFLOW_TASK_SLOTS', 'worker.tuning.maxConcurrentWorkflowTaskExecutions', 'integer'),
  bind('PREVIEWD_WORKER_SHUTDOWN_GRACE_TIME', 'worker.tuning.shutdownGraceTime'),
  bind('PREVIEWD_WORKER_CLUSTER_WATCH', 'worker.clusterWatch', 'boolean'),
  bind('PREVIEWD_WORKER_CORE_METRICS_PORT', 'worker.coreMetricsPort', 'integer'),
  bind('PREVIEWD_WORKER_WORKFLOW_BUNDLE', 'worker.workflowBundle'),
  bind('PREVIEWD_WORKER_DEPLOYMENT_NAME', 'worker.deployment.name'),
  bind('PREVIEWD_WORKER_BUILD_ID', 'worker.deployment.buildId'),
  bind('PREVIEWD_WORKER_DEPLOYMENT_SET_CURRENT', 'worker.deployment.setCurrent', 'boolean'),
  bind('PREVIEWD_TELEMETRY_OTLP_ENDPOINT', 'telemetry.otlpEndpoint'),
  bind('PREVIEWD_TELEMETRY_SERVICE_NAME', 'telemetry.serviceName'),
  bind('PREVIEWD_TELEMETRY_ENVIRONMENT', 'telemetry.environment'),
];

/** Webhook secrets: the current one, and the previous one while a rotation is under way. */
export const WEBHOOK_SECRET_ENV = 'PREVIEWD_GITHUB_WEBHOOK_SECRET';
export const WEBHOOK_SECRET_PREVIOUS_ENV = 'PREVIEWD_GITHUB_WEBHOOK_SECRET_PREVIOUS';

/** GitHub auth: a token, or a GitHub App (id, installation, key inline or from a file). */
export const GITHUB_TOKEN_ENV = 'PREVIEWD_GITHUB_TOKEN';
export const GITHUB_APP_ID_ENV = 'PREVIEWD_GITHUB_APP_ID';
export const GITHUB_APP_INSTALLATION_ID_ENV = 'PREVIEWD_GITHUB_APP_INSTALLATION_ID';
export const GITHUB_APP_PRIVATE_KEY_ENV = 'PREVIEWD_GITHUB_APP_PRIVATE_KEY';
export const GITHUB_APP_PRIVATE_KEY_FILE_ENV = 'PREVIEWD_GITHUB_APP_PRIVATE_KEY_FILE';

/**
 * The password of `databases.admin.user`: inline, or read from a (Secret-mounted) file. Never
 * from the YAML file, which usually sits in a ConfigMap.
 */
export const DATABASES_ADMIN_PASSWORD_ENV = 'PREVIEWD_DATABASES_ADMIN_PASSWORD';
export const DATABASES_ADMIN_PASSWORD_FILE_ENV = 'PREVIEWD_DATABASES_ADMIN_PASSWORD_FILE';
