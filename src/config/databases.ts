import { z } from 'zod';

// Per-preview databases on a shared PostgreSQL server (seed 000: "shared database
// infrastructure with per-preview schema/db/user provisioning (declared and managed; no runtime
// 'magic defaults')"). The operator declares the server, how previewd logs in as the
// administrator of preview roles, and the naming; repositories opt in one by one
// (`repositories[].database`). The admin password is never part of the file: it comes from an
// environment variable or a Secret-mounted file (load-config.ts refuses it in YAML).

export const MAX_DATABASE_PREFIX = 16;
/** Lowercase words joined by single underscores: usable unquoted, and never a `pg_` system name. */
const DATABASE_PREFIX = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const PREFIX_RULE = `must be 1-${MAX_DATABASE_PREFIX} lowercase letters and digits in words joined by single underscores, not pg or pg_… (reserved)`;

export function isDatabasePrefix(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_DATABASE_PREFIX && DATABASE_PREFIX.test(value) && value !== 'pg' && !value.startsWith('pg_');
}

export const databasePrefixSchema = z.string().refine(isDatabasePrefix, { message: PREFIX_RULE });

// A host name or an IP address: nothing that could smuggle a path, credentials or options into a connection string.
const host = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9._:-]+$/, 'must be a host name or an IP address');
const port = z.number().int().min(1).max(65535);

/** What preview workloads put in their connection string (`?sslmode=…`), as libpq spells it. */
export const WORKLOAD_SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

export const databaseEndpointSchema = z
  .object({
    host,
    port: port.default(5432),
    sslMode: z.enum(WORKLOAD_SSL_MODES).optional(),
  })
  .strict();

export const BOOTSTRAP_MAX_BYTES = 1024 * 1024;

// The bootstrap SQL passes through workflow history (workflows/contract/database.ts), whose
// payloads Temporal refuses above 2 MB: 1 MiB of SQL stays clear of that with room to spare.
export const databaseBootstrapSchema = z
  .object({
    maxBytes: z.number().int().min(1).max(BOOTSTRAP_MAX_BYTES).default(BOOTSTRAP_MAX_BYTES),
    timeoutMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
  })
  .strict();

export const databaseSecretNameSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a DNS-1123 subdomain');

export const databaseConnectionLimitSchema = z.number().int().min(1).max(10_000);

/** How the worker itself reaches the server. `verify-full` unless the operator says otherwise. */
export const databaseAdminTlsSchema = z
  .object({
    /** `disable` (plain TCP), `require` (encrypted, unverified), `verify-ca` (the CA only), `verify-full` (CA and host name). */
    mode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']).default('verify-full'),
    /** PEM bundle of the server's CA; absent: the system roots. */
    caFile: z.string().min(1).optional(),
  })
  .strict();

export const databaseAdminSchema = z
  .object({
    host,
    port: port.default(5432),
    /** The maintenance database the admin connects to. */
    database: z.string().min(1).max(63).default('postgres'),
    /** A superuser, or (managed services) a role with CREATEROLE and CREATEDB. */
    user: z.string().min(1).max(63),
    /** Set only from PREVIEWD_DATABASES_ADMIN_PASSWORD or PREVIEWD_DATABASES_ADMIN_PASSWORD_FILE. */
    password: z.string().min(1).optional(),
    tls: databaseAdminTlsSchema.prefault({}),
  })
  .strict();

/** Defaults shared with src/database's settings schema (the activities' view of this section). */
export const DATABASE_DEFAULTS = Object.freeze({ prefix: 'preview', secretName: 'preview-database', connectionLimit: 20 });

export const databasesConfigSchema = z
  .object({
    admin: databaseAdminSchema,
    /** Role and database names are `<prefix>_<namespace>`. Installations sharing a server need distinct prefixes. */
    prefix: databasePrefixSchema.default(DATABASE_DEFAULTS.prefix),
    /** Name of the credentials Secret in each preview namespace. */
    secretName: databaseSecretNameSchema.default(DATABASE_DEFAULTS.secretName),
    /** The server as preview workloads reach it; absent: where the worker reaches it (`admin.host`, `admin.port`, and `admin.tls.mode` as sslmode). */
    endpoint: databaseEndpointSchema.optional(),
    /** Per-role connection limit, so one preview cannot use up the shared server's max_connections. */
    connectionLimit: databaseConnectionLimitSchema.default(DATABASE_DEFAULTS.connectionLimit),
    /** Admin sessions one worker holds at most (each activity call uses one at a time). */
    maxAdminConnections: z.number().int().min(1).max(100).default(4),
    bootstrap: databaseBootstrapSchema.prefault({}),
  })
  .strict();

export type DatabasesConfig = z.infer<typeof databasesConfigSchema>;
export type DatabaseAdminConfig = z.infer<typeof databaseAdminSchema>;
export type DatabaseEndpointConfig = z.infer<typeof databaseEndpointSchema>;
