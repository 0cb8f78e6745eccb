// previewd's one configuration: schemas by area (the bottom of the module graph: nothing here
// imports previewd's domain code), the loader that reads env vars and the optional YAML file,
// and dev mode's additions. Code that the workflow bundle includes takes only types from here
// and the schema files, and values from the zod-free leaves (durations.ts, lifecycle-defaults.ts,
// repository-name.ts): zod in the bundle would be instantiated again in every workflow run.
export { parseDuration, formatDuration, positiveDurationProblem, requirePositiveDuration, durationMs, type DurationParse } from './durations';
export { positiveDuration, durationAtLeast } from './duration-schemas';
export { DNS_LABEL, dnsLabel, clusterSettingsSchema, parseClusterSettings, kubernetesConfigSchema, type ClusterSettings, type ClusterSettingsInput, type KubernetesConfig } from './cluster';
export { TTL_POLICY_DEFAULTS, LIFECYCLE_DEFAULTS } from './lifecycle-defaults';
export {
  REPOSITORY_NAME,
  repositoryPath,
  serviceSourceSchema,
  imageSelectionSchema,
  serviceConfigSchema,
  ttlPolicySchema,
  triggerPolicySchema,
  lifecycleConfigSchema,
  repositoryConfigSchema,
  repositoryDefaultsSchema,
  inheritRepositoryDefaults,
  repositoryFilePath,
  repositoryDatabaseSchema,
  type RepositoryDatabase,
  type ServiceSource,
  type GitopsSource,
  type PrBundleSource,
  type ImageSelection,
  type ImageMode,
  type ServiceConfig,
  type TtlPolicy,
  type TtlPolicyInput,
  type TriggerPolicy,
  type RepositoryConfig,
  type RepositoryDefaults,
  type LifecycleConfig,
  type LifecycleOptions,
} from './repository';
export {
  temporalTlsSchema,
  temporalConfigSchema,
  githubAuthSchema,
  githubConfigSchema,
  aiConfigSchema,
  type TemporalConfig,
  type TemporalTlsConfig,
  type GitHubAuth,
  type GitHubConfig,
  type AiConfig,
} from './connections';
export {
  GITHUB_MAX_PAYLOAD_BYTES,
  MIN_JANITOR_RETENTION,
  MIN_JANITOR_INTERVAL,
  MIN_REDELIVERY_INTERVAL,
  MAX_REDELIVERY_LOOK_BACK,
  ingressRateLimitSchema,
  ingressConfigSchema,
  workerConfigSchema,
  workerTuningSchema,
  workerDeploymentSchema,
  janitorConfigSchema,
  webhookRedeliveryConfigSchema,
  telemetryConfigSchema,
  logConfigSchema,
  type IngressConfig,
  type WorkerConfig,
  type WorkerTuning,
  type WorkerDeployment,
  type JanitorConfig,
  type WebhookRedeliveryConfig,
  type TelemetryConfig,
  type LogConfig,
} from './processes';
export { costRatesSchema, budgetPolicySchema, type CostRates, type BudgetPolicy } from './cost';
export {
  MAX_DATABASE_PREFIX,
  WORKLOAD_SSL_MODES,
  BOOTSTRAP_MAX_BYTES,
  DATABASE_DEFAULTS,
  isDatabasePrefix,
  databasePrefixSchema,
  databaseEndpointSchema,
  databaseBootstrapSchema,
  databaseSecretNameSchema,
  databaseConnectionLimitSchema,
  databaseAdminTlsSchema,
  databaseAdminSchema,
  databasesConfigSchema,
  type DatabasesConfig,
  type DatabaseAdminConfig,
  type DatabaseEndpointConfig,
} from './databases';
export { previewdConfigSchema, type PreviewdConfig, type PreviewdConfigInput } from './previewd-config';
export {
  CONFIG_FILE_ENV,
  ENV_BINDINGS,
  WEBHOOK_SECRET_ENV,
  WEBHOOK_SECRET_PREVIOUS_ENV,
  GITHUB_TOKEN_ENV,
  GITHUB_APP_ID_ENV,
  GITHUB_APP_INSTALLATION_ID_ENV,
  GITHUB_APP_PRIVATE_KEY_ENV,
  GITHUB_APP_PRIVATE_KEY_FILE_ENV,
  DATABASES_ADMIN_PASSWORD_ENV,
  DATABASES_ADMIN_PASSWORD_FILE_ENV,
  type EnvValueKind,
  type EnvBinding,
} from './env-vars';
export { OTEL_ENV_NAMES, parseResourceAttributes } from './otel-env';
export {
  deepFreeze,
  parseConfig,
  loadConfig,
  loadDevSettings,
  requireClusterSettings,
  requireDatabaseAdminPassword,
  requireWebhookSecrets,
  type Env,
  type LoadConfigOptions,
} from './load-config';
export { temporalConnectionOptions, type TemporalConnectionOptions } from './temporal-connection-options';
export { DEV_SAMPLE_REPOSITORY, devSettingsSchema, devWebhookSecret, devBaseConfig, writePreviewctlConfig, type DevSettings, type EmbeddedGitops } from './dev-config';
