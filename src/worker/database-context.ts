import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ConnectionOptions } from 'node:tls';
import { createDatabaseContext, kubeSecretStore, type DatabaseContext } from '../../activities/database';
import { KubeApi, kubeConfigTransport } from '../../activities/kubernetes';
import { requireClusterSettings, requireDatabaseAdminPassword, type DatabasesConfig, type PreviewdConfig } from '../config';
import { databaseSettingsFromConfig } from '../database';
import { ConfigError } from '../errors';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../kubernetes';

// The worker's one connection to the shared PostgreSQL server of per-preview databases: an
// admin pool (closed when the worker stops), the settings from `databases` with the cluster's
// namespace prefix, and the preview namespaces' credentials Secrets written through the API
// server. Absent without a `databases` section.

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('databases.admin.tls.caFile', `invalid previewd config: databases.admin.tls.caFile: cannot read ${file}: ${(err as Error).message}`);
  }
}

/** libpq's sslmode, in node's TLS options (`verify-ca` checks the chain but not the host name). */
export function adminTlsOptions(tls: DatabasesConfig['admin']['tls']): false | ConnectionOptions {
  if (tls.mode === 'disable') return false;
  if (tls.mode === 'require') return { rejectUnauthorized: false };
  const ca = tls.caFile === undefined ? {} : { ca: readCa(tls.caFile) };
  if (tls.mode === 'verify-ca') return { rejectUnauthorized: true, ...ca, checkServerIdentity: () => undefined };
  return { rejectUnauthorized: true, ...ca };
}

export function databaseContextFromConfig(config: PreviewdConfig, kubeConfig: KubeConfig): DatabaseContext | undefined {
  const databases = config.databases;
  const password = requireDatabaseAdminPassword(config);
  if (!databases || password === undefined) return undefined;
  const { admin } = databases;
  return createDatabaseContext({
    admin: { host: admin.host, port: admin.port, user: admin.user, password, database: admin.database, ssl: adminTlsOptions(admin.tls) },
    settings: databaseSettingsFromConfig(databases, requireClusterSettings(config).namespacePrefix),
    secrets: kubeSecretStore(new KubeApi(kubeConfigTransport(kubeConfig))),
    secretLabels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    maxConnections: databases.maxAdminConnections,
  });
}
