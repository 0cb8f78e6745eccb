import { z } from 'zod';
import { assertDatabasePrefix, MAX_DATABASE_PREFIX, type DatabaseNaming } from './database-names';
import type { DatabaseEndpoint } from './database-secret';

// Operator settings of per-preview databases on a shared PostgreSQL server. Declared, never
// guessed (seed 000: "declared and managed; no runtime 'magic defaults'"): every default below
// is visible in the schema. How the worker itself logs in (address, admin user, password from a
// Secret or the environment) is connection configuration and lives with the worker's config.

const prefix = z
  .string()
  .max(MAX_DATABASE_PREFIX)
  .refine(
    (value) => {
      try {
        assertDatabasePrefix(value);
        return true;
      } catch {
        return false;
      }
    },
    { message: `must be 1-${MAX_DATABASE_PREFIX} lowercase letters and digits in words joined by single underscores, not starting with pg_` },
  );

const BOOTSTRAP_DEFAULTS = { maxBytes: 1024 * 1024, timeoutMs: 60_000 };

export const databaseSettingsSchema = z
  .object({
    /** Role and database names are `<prefix>_<namespace>`. Installations sharing a server need distinct prefixes. */
    prefix: prefix.default('preview'),
    /** The namespace prefix of the cluster settings: databases are made only for namespaces under it. */
    namespacePrefix: z
      .string()
      .min(1)
      .max(20)
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label')
      .default('pr'),
    /** Name of the credentials Secret in each preview namespace. */
    secretName: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a DNS-1123 subdomain')
      .default('preview-database'),
    /** The server as preview workloads reach it (an in-cluster Service name, usually); written into the Secret. */
    endpoint: z
      .object({
        host: z.string().min(1).max(253),
        port: z.number().int().min(1).max(65535).default(5432),
        sslMode: z.enum(['disable', 'prefer', 'require', 'verify-ca', 'verify-full']).optional(),
      })
      .strict(),
    /** Per-role connection limit, so one preview cannot use up the shared server's max_connections. */
    connectionLimit: z.number().int().min(1).max(10_000).default(20),
    /** Optional schema bootstrap SQL, run once per database as the preview role; cut off after `timeoutMs`. */
    bootstrap: z
      .object({
        maxBytes: z.number().int().min(1).max(16 * 1024 * 1024).default(BOOTSTRAP_DEFAULTS.maxBytes),
        timeoutMs: z.number().int().min(1_000).max(3_600_000).default(BOOTSTRAP_DEFAULTS.timeoutMs),
      })
      .strict()
      .default(BOOTSTRAP_DEFAULTS),
  })
  .strict();

export type DatabaseSettingsInput = z.input<typeof databaseSettingsSchema>;

export interface DatabaseSettings extends DatabaseNaming {
  readonly secretName: string;
  readonly endpoint: DatabaseEndpoint;
  readonly connectionLimit: number;
  readonly bootstrap: { readonly maxBytes: number; readonly timeoutMs: number };
}

/** Parsed once and frozen, like the rest of previewd's configuration. */
export function parseDatabaseSettings(input: DatabaseSettingsInput): DatabaseSettings {
  const parsed = databaseSettingsSchema.parse(input);
  return Object.freeze({ ...parsed, endpoint: Object.freeze({ ...parsed.endpoint }), bootstrap: Object.freeze({ ...parsed.bootstrap }) });
}
