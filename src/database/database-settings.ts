import { z } from 'zod';
import { dnsLabel } from '../config/cluster';
import {
  DATABASE_DEFAULTS,
  databaseBootstrapSchema,
  databaseConnectionLimitSchema,
  databaseEndpointSchema,
  databasePrefixSchema,
  databaseSecretNameSchema,
  type DatabasesConfig,
} from '../config/databases';
import type { DatabaseNaming } from './database-names';
import type { DatabaseEndpoint } from './database-secret';

// What the database activities need to know, as one frozen object: the operator's `databases`
// section (src/config/databases.ts, whose field schemas this reuses), with the namespace prefix
// taken from `cluster` (it is set in one place only) and the endpoint preview workloads use
// resolved. How the worker itself logs in (address, admin user, password) is not in here.

export const databaseSettingsSchema = z
  .object({
    prefix: databasePrefixSchema.default(DATABASE_DEFAULTS.prefix),
    /** The namespace prefix of the cluster settings: databases are made only for namespaces under it. */
    namespacePrefix: dnsLabel(20).default('pr'),
    secretName: databaseSecretNameSchema.default(DATABASE_DEFAULTS.secretName),
    endpoint: databaseEndpointSchema,
    connectionLimit: databaseConnectionLimitSchema.default(DATABASE_DEFAULTS.connectionLimit),
    bootstrap: databaseBootstrapSchema.prefault({}),
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

/** The activities' settings from the config's `databases` section and `cluster.namespacePrefix`. */
export function databaseSettingsFromConfig(databases: DatabasesConfig, namespacePrefix: string): DatabaseSettings {
  const { admin } = databases;
  return parseDatabaseSettings({
    prefix: databases.prefix,
    namespacePrefix,
    secretName: databases.secretName,
    // Without an endpoint of their own, workloads reach the server where the worker does.
    endpoint: databases.endpoint ?? { host: admin.host, port: admin.port, sslMode: admin.tls.mode },
    connectionLimit: databases.connectionLimit,
    bootstrap: databases.bootstrap,
  });
}
