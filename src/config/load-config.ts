import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors';
import type { ClusterSettings } from './cluster';
import { devSettingsSchema, type DevSettings } from './dev-config';
import {
  CONFIG_FILE_ENV,
  DATABASES_ADMIN_PASSWORD_ENV,
  DATABASES_ADMIN_PASSWORD_FILE_ENV,
  ENV_BINDINGS,
  GITHUB_APP_ID_ENV,
  GITHUB_APP_INSTALLATION_ID_ENV,
  GITHUB_APP_PRIVATE_KEY_ENV,
  GITHUB_APP_PRIVATE_KEY_FILE_ENV,
  GITHUB_TOKEN_ENV,
  WEBHOOK_SECRET_ENV,
  WEBHOOK_SECRET_PREVIOUS_ENV,
  type EnvValueKind,
} from './env-vars';
import { otelEnvLayer } from './otel-env';
import { previewdConfigSchema, type PreviewdConfig } from './previewd-config';

// The only module that reads process.env. Everything else receives the frozen result, so a
// test can build any configuration without touching the process, and no component can see a
// value the schema did not check. Invalid config fails here, at start-up, with one ConfigError
// whose message names every offending field and where its value came from.

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** Defaults to process.env. */
  readonly env?: Env;
  /** YAML file; defaults to `$PREVIEWD_CONFIG`. Absent means env vars and defaults only. */
  readonly file?: string;
  /** Values under the file (dev mode's sample repository); the file and env override them. */
  readonly base?: Record<string, unknown>;
}

type Raw = Record<string, unknown>;

/** Freezes an object graph, so no component can change config another one relies on. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

// Schema issues become one ConfigError whose message names every offending field, and where
// the value came from when that was not the file (`… (from PREVIEWD_INGRESS_PORT)`).
function issueField(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  // An unknown key is reported on its parent; name the key itself, that is what to fix.
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => [...path, k].join('.')).join(', ');
  return path.join('.') || '(root)';
}

function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.code === 'unrecognized_keys' ? 'unknown key (check the spelling against docs/config.md)' : issue.message;
}

function configErrorFromIssues(issues: readonly z.core.$ZodIssue[], origin: (field: string) => string | undefined): ConfigError {
  const lines = issues.map((issue) => {
    const field = issueField(issue);
    const from = origin(field);
    return `${field}: ${issueMessage(issue)}${from ? ` (from ${from})` : ''}`;
  });
  const first = issues[0];
  return new ConfigError(first ? issueField(first).split(', ')[0] ?? '(root)' : '(root)', `invalid previewd config: ${lines.join('; ')}`);
}

const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Present and non-empty: `FOO=` in a shell or manifest means "not set". */
function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Converts what clearly is a number or boolean; anything else stays text so the schema names the field. */
function convert(text: string, kind: EnvValueKind): unknown {
  if (kind === 'integer' && /^-?\d+$/.test(text.trim())) return Number(text.trim());
  if (kind === 'boolean') {
    const t = text.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(t)) return true;
    if (['false', '0', 'no', 'off'].includes(t)) return false;
  }
  return text;
}

function setPath(target: Raw, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = node[key] = isRecord(next) ? { ...next } : {};
  }
  node[keys[keys.length - 1] as string] = value;
}

function mergeDeep(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isRecord(current) && isRecord(value) ? mergeDeep(current, value) : value;
  }
  return out;
}

function readConfigFile(file: string): Raw {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('(file)', `cannot read config file ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new ConfigError('(file)', `config file ${file} is not valid YAML: ${(err as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed)) throw new ConfigError('(root)', `config file ${file} must hold a mapping of settings, not ${Array.isArray(parsed) ? 'a list' : typeof parsed}`);
  return parsed;
}

interface EnvLayer {
  readonly values: Raw;
  /** Config path → the variable that set it, for error messages. */
  readonly origins: Map<string, string>;
}

function githubAuthFromEnv(env: Env, layer: EnvLayer): void {
  const token = envValue(env, GITHUB_TOKEN_ENV);
  const appId = envValue(env, GITHUB_APP_ID_ENV);
  if (token !== undefined && appId !== undefined) {
    throw new ConfigError('github.auth', `set either ${GITHUB_TOKEN_ENV} or ${GITHUB_APP_ID_ENV} (with the installation and key), not both`);
  }
  if (token !== undefined) {
    setPath(layer.values, 'github.auth', { type: 'token', token });
    layer.origins.set('github.auth.token', GITHUB_TOKEN_ENV);
    return;
  }
  if (appId === undefined) return;
  const keyFile = envValue(env, GITHUB_APP_PRIVATE_KEY_FILE_ENV);
  let privateKey = envValue(env, GITHUB_APP_PRIVATE_KEY_ENV);
  if (privateKey === undefined && keyFile !== undefined) {
    try {
      privateKey = readFileSync(keyFile, 'utf8');
    } catch (err) {
      throw new ConfigError('github.auth.privateKey', `cannot read ${GITHUB_APP_PRIVATE_KEY_FILE_ENV} (${keyFile}): ${(err as Error).message}`);
    }
  }
  const installationId = envValue(env, GITHUB_APP_INSTALLATION_ID_ENV);
  setPath(layer.values, 'github.auth', {
    type: 'app',
    appId: convert(appId, 'integer'),
    ...(installationId !== undefined && { installationId: convert(installationId, 'integer') }),
    ...(privateKey !== undefined && { privateKey }),
  });
  layer.origins.set('github.auth.appId', GITHUB_APP_ID_ENV);
  layer.origins.set('github.auth.installationId', GITHUB_APP_INSTALLATION_ID_ENV);
  layer.origins.set('github.auth.privateKey', keyFile !== undefined ? GITHUB_APP_PRIVATE_KEY_FILE_ENV : GITHUB_APP_PRIVATE_KEY_ENV);
}

function webhookSecretsFromEnv(env: Env, layer: EnvLayer): void {
  const current = envValue(env, WEBHOOK_SECRET_ENV);
  const previous = envValue(env, WEBHOOK_SECRET_PREVIOUS_ENV);
  if (current === undefined && previous !== undefined) {
    throw new ConfigError('github.webhookSecrets', `${WEBHOOK_SECRET_PREVIOUS_ENV} is set without ${WEBHOOK_SECRET_ENV}: the previous secret only makes sense during a rotation to a current one`);
  }
  if (current === undefined) return;
  setPath(layer.values, 'github.webhookSecrets', previous === undefined ? [current] : [current, previous]);
  layer.origins.set('github.webhookSecrets.0', WEBHOOK_SECRET_ENV);
  layer.origins.set('github.webhookSecrets.1', WEBHOOK_SECRET_PREVIOUS_ENV);
}

/** A Secret mounted as a file usually ends with a newline that is not part of the password. */
function readSecretFile(field: string, variable: string, file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new ConfigError(field, `cannot read ${variable} (${file}): ${(err as Error).message}`);
  }
}

function databasePasswordFromEnv(env: Env, layer: EnvLayer): void {
  const inline = envValue(env, DATABASES_ADMIN_PASSWORD_ENV);
  const file = envValue(env, DATABASES_ADMIN_PASSWORD_FILE_ENV);
  const field = 'databases.admin.password';
  if (inline !== undefined && file !== undefined) throw new ConfigError(field, `set either ${DATABASES_ADMIN_PASSWORD_ENV} or ${DATABASES_ADMIN_PASSWORD_FILE_ENV}, not both`);
  const password = file !== undefined ? readSecretFile(field, DATABASES_ADMIN_PASSWORD_FILE_ENV, file) : inline;
  if (password === undefined) return;
  setPath(layer.values, field, password);
  layer.origins.set(field, file !== undefined ? DATABASES_ADMIN_PASSWORD_FILE_ENV : DATABASES_ADMIN_PASSWORD_ENV);
}

/**
 * The admin password comes only from the environment (a Secret), never from the file, which
 * usually sits in a ConfigMap that many can read. And a password without a `databases`
 * section is a deployment mistake worth naming, not a schema error about a missing host.
 */
function checkDatabasePassword(fromFile: Raw, withoutEnv: Raw, layer: EnvLayer): void {
  const field = 'databases.admin.password';
  const admin = isRecord(fromFile.databases) && isRecord(fromFile.databases.admin) ? fromFile.databases.admin : undefined;
  if (admin && 'password' in admin) {
    throw new ConfigError(field, `invalid previewd config: ${field}: the admin password never goes in the config file; set ${DATABASES_ADMIN_PASSWORD_ENV} or ${DATABASES_ADMIN_PASSWORD_FILE_ENV} (from a Secret)`);
  }
  const variable = layer.origins.get(field);
  if (variable && !isRecord(withoutEnv.databases)) throw new ConfigError('databases', `invalid previewd config: databases: ${variable} is set, but the config has no databases section`);
}

function envLayer(env: Env): EnvLayer {
  const layer: EnvLayer = { values: {}, origins: new Map() };
  for (const binding of ENV_BINDINGS) {
    const text = envValue(env, binding.name);
    if (text === undefined) continue;
    setPath(layer.values, binding.path, convert(text, binding.kind));
    layer.origins.set(binding.path, binding.name);
  }
  webhookSecretsFromEnv(env, layer);
  githubAuthFromEnv(env, layer);
  databasePasswordFromEnv(env, layer);
  return otelFromEnv(env, layer);
}

/** The standard OTEL_* variables, after (so over) PREVIEWD_TELEMETRY_*; the more specific origins first, so errors name the right variable. */
function otelFromEnv(env: Env, layer: EnvLayer): EnvLayer {
  const otel = otelEnvLayer(env);
  if (otel.origins.length === 0) return layer;
  const origins = new Map([...otel.origins, ...[...layer.origins].filter(([path]) => !otel.origins.some(([field]) => field === path))]);
  return { values: mergeDeep(layer.values, { telemetry: otel.telemetry }), origins };
}

/** Validates a raw config object (tests, and every other loader path); throws a ConfigError naming the field. */
export function parseConfig(raw: unknown, origin: (field: string) => string | undefined = () => undefined): Readonly<PreviewdConfig> {
  const result = previewdConfigSchema.safeParse(raw);
  if (!result.success) throw configErrorFromIssues(result.error.issues, origin);
  return deepFreeze(result.data);
}

/** Defaults < `base` < YAML file < environment variables; validated, strict and frozen. */
export function loadConfig(options: LoadConfigOptions = {}): Readonly<PreviewdConfig> {
  const env = options.env ?? process.env;
  const file = options.file ?? envValue(env, CONFIG_FILE_ENV);
  const fromFile = file === undefined ? {} : readConfigFile(resolve(file));
  const layer = envLayer(env);
  const withoutEnv = mergeDeep(options.base ?? {}, fromFile);
  checkDatabasePassword(fromFile, withoutEnv, layer);
  const raw = mergeDeep(withoutEnv, layer.values);
  const fileName = file === undefined ? undefined : resolve(file);
  return parseConfig(raw, (field) => {
    const fromEnv = [...layer.origins].find(([path]) => field === path || field.startsWith(`${path}.`));
    if (fromEnv) return fromEnv[1];
    return fileName && field !== '(root)' ? fileName : undefined;
  });
}

/** Dev mode's own settings (`npm run dev`), from the same environment. */
export function loadDevSettings(env: Env = process.env): Readonly<DevSettings> {
  const home = envValue(env, 'HOME') ?? homedir();
  const raw = {
    stateDir: resolve(envValue(env, 'PREVIEWD_DEV_STATE_DIR') ?? '.previewd'),
    cacheDir: envValue(env, 'PREVIEWD_CACHE') ?? join(envValue(env, 'XDG_CACHE_HOME') ?? join(home, '.cache'), 'previewd'),
    temporalCli: envValue(env, 'PREVIEWD_TEMPORAL_CLI'),
    searchPath: envValue(env, 'PATH') ?? '',
    temporalPort: convert(envValue(env, 'PREVIEWD_DEV_TEMPORAL_PORT') ?? '7233', 'integer'),
    uiPort: convert(envValue(env, 'PREVIEWD_DEV_UI_PORT') ?? '8233', 'integer'),
    cluster: envValue(env, 'PREVIEWD_DEV_CLUSTER') ?? 'auto',
    home,
  };
  const result = devSettingsSchema.safeParse(raw);
  if (!result.success) {
    const names: Record<string, string> = { temporalPort: 'PREVIEWD_DEV_TEMPORAL_PORT', uiPort: 'PREVIEWD_DEV_UI_PORT', cluster: 'PREVIEWD_DEV_CLUSTER' };
    throw configErrorFromIssues(result.error.issues, (field) => names[field]);
  }
  return deepFreeze(result.data);
}

// Sections only some processes need. previewctl runs without cluster settings and webhook
// secrets; the worker and the ingress refuse to start without theirs, naming the field.

export function requireClusterSettings(config: PreviewdConfig): ClusterSettings {
  if (config.cluster) return config.cluster;
  throw new ConfigError('cluster', 'invalid previewd config: cluster: the worker needs cluster settings (at least cluster.baseEnvironment and cluster.domain); see docs/config.md');
}

/** The worker logs in to the shared server only with a password from the environment; without one it refuses to start. */
export function requireDatabaseAdminPassword(config: PreviewdConfig): string | undefined {
  if (!config.databases) return undefined;
  if (config.databases.admin.password) return config.databases.admin.password;
  throw new ConfigError(
    'databases.admin.password',
    `invalid previewd config: databases.admin.password: the worker needs the admin password of ${config.databases.admin.user} (set ${DATABASES_ADMIN_PASSWORD_ENV} or ${DATABASES_ADMIN_PASSWORD_FILE_ENV})`,
  );
}

export function requireWebhookSecrets(config: PreviewdConfig): readonly string[] {
  if (config.github.webhookSecrets.length > 0) return config.github.webhookSecrets;
  throw new ConfigError('github.webhookSecrets', `invalid previewd config: github.webhookSecrets: the ingress needs at least one webhook secret (set ${WEBHOOK_SECRET_ENV} or github.webhookSecrets)`);
}
