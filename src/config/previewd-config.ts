import { z } from 'zod';
import { clusterSettingsSchema, kubernetesConfigSchema } from './cluster';
import { aiConfigSchema, githubConfigSchema, temporalConfigSchema } from './connections';
import { budgetPolicySchema, costRatesSchema } from './cost';
import { databasesConfigSchema } from './databases';
import { ingressConfigSchema, janitorConfigSchema, logConfigSchema, telemetryConfigSchema, webhookRedeliveryConfigSchema, workerConfigSchema } from './processes';
import { inheritRepositoryDefaults, lifecycleConfigSchema, repositoryConfigSchema, repositoryDefaultsSchema } from './repository';

// previewd's one configuration: every process (worker, ingress, dev mode, previewctl) reads
// this shape, from an optional YAML file plus environment variables (load-config.ts). Strict
// everywhere: an unknown key is a typo that would otherwise silently fall back to a default.

/** The configuration's shape without the defaults inheritance (the JSON schema for the chart's values is generated from it). */
export const previewdConfigObject = z
  .object({
    temporal: temporalConfigSchema.prefault({}),
    kubernetes: kubernetesConfigSchema.prefault({}),
    /** Where previews land (namespace prefix, Argo CD, base environment, domain, routes). Required by the worker. */
    cluster: clusterSettingsSchema.optional(),
    /** The shared PostgreSQL server for per-preview databases; absent: no repository may enable one. */
    databases: databasesConfigSchema.optional(),
    /** The allowlist: events of any other repository are ignored. */
    repositories: z.array(repositoryConfigSchema).default([]),
    defaults: repositoryDefaultsSchema.prefault({}),
    lifecycle: lifecycleConfigSchema.prefault({}),
    rates: costRatesSchema.prefault({}),
    budget: budgetPolicySchema.prefault({}),
    github: githubConfigSchema.prefault({}),
    ai: aiConfigSchema.prefault({}),
    ingress: ingressConfigSchema.prefault({}),
    janitor: janitorConfigSchema.prefault({}),
    /** Lost webhook deliveries asked again of GitHub (needs GitHub App credentials). */
    webhookRedelivery: webhookRedeliveryConfigSchema.prefault({}),
    log: logConfigSchema.prefault({}),
    worker: workerConfigSchema.prefault({}),
    telemetry: telemetryConfigSchema.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    // Repositories are looked up case-insensitively (GitHub names are) and keys name namespaces:
    // two entries for one repository, or two repositories sharing a key, would share previews.
    const names = new Map<string, number>();
    const keys = new Map<string, number>();
    config.repositories.forEach((repo, i) => {
      const name = repo.fullName.toLowerCase();
      if (names.has(name)) ctx.addIssue({ code: 'custom', path: ['repositories', i, 'fullName'], message: `"${repo.fullName}" is already configured as repositories.${names.get(name)}` });
      else names.set(name, i);
      if (keys.has(repo.key)) ctx.addIssue({ code: 'custom', path: ['repositories', i, 'key'], message: `key "${repo.key}" is already used by repositories.${keys.get(repo.key)}` });
      else keys.set(repo.key, i);
      if (repo.database?.enabled && !config.databases) {
        ctx.addIssue({ code: 'custom', path: ['repositories', i, 'database'], message: 'a per-preview database needs the databases section (the shared PostgreSQL server)' });
      }
    });
    if (config.temporal.apiKey !== undefined && !config.temporal.tls.enabled) {
      ctx.addIssue({ code: 'custom', path: ['temporal', 'tls', 'enabled'], message: 'an API key is sent as a bearer token and requires TLS (set temporal.tls.enabled: true)' });
    }
  });

export const previewdConfigSchema = z.preprocess(inheritRepositoryDefaults, previewdConfigObject);

export type PreviewdConfig = z.infer<typeof previewdConfigObject>;
export type PreviewdConfigInput = z.input<typeof previewdConfigObject>;
