import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/errors';
import { loadConfig, requireDatabaseAdminPassword } from '../../../src/config';
import { databaseSettingsFromConfig } from '../../../src/database';

// The `databases` section and `repositories[].database`: the admin password only from the
// environment (inline or a Secret-mounted file), never from the file; hostile values refused
// before anything starts, naming the field.

const dir = mkdtempSync(join(tmpdir(), 'previewd-databases-config-'));
let files = 0;
function file(text: string): string {
  const path = join(dir, `f-${files++}`);
  writeFileSync(path, text);
  return path;
}

const service = { name: 'web', source: { repoURL: 'https://git.example.test/gitops.git', path: 'apps/web', image: 'ghcr.example.test/acme/web' } };
const repo = (database?: unknown) => ({ fullName: 'acme/shop', key: 'shop', services: [service], ...(database !== undefined && { database }) });
const databases = { admin: { host: 'db.example.test', user: 'previewd_admin' } };

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('databases', () => {
  test('defaults come from the schema, the password from the environment, the namespace prefix from cluster', () => {
    const config = loadConfig({ env: { PREVIEWD_DATABASES_ADMIN_PASSWORD: 's3cret-admin' }, base: { databases, repositories: [repo({ bootstrap: { path: 'db/schema.sql' } })] } });
    expect(config.databases).toMatchObject({ prefix: 'preview', secretName: 'preview-database', connectionLimit: 20, maxAdminConnections: 4, admin: { port: 5432, database: 'postgres', tls: { mode: 'verify-full' } } });
    expect(config.databases?.bootstrap).toEqual({ maxBytes: 1024 * 1024, timeoutMs: 60_000 });
    expect(config.repositories[0]?.database).toEqual({ enabled: true, bootstrap: { path: 'db/schema.sql', ifMissing: 'fail' } });
    expect(requireDatabaseAdminPassword(config)).toBe('s3cret-admin');
    expect(databaseSettingsFromConfig(config.databases!, 'pr')).toMatchObject({ prefix: 'preview', namespacePrefix: 'pr', secretName: 'preview-database' });
  });

  test('reads the password from a Secret-mounted file without its trailing newline', () => {
    const config = loadConfig({ env: { PREVIEWD_DATABASES_ADMIN_PASSWORD_FILE: file('from-a-file\n') }, base: { databases } });
    expect(requireDatabaseAdminPassword(config)).toBe('from-a-file');
  });

  test('refuses a password in the config file, and never echoes it', () => {
    const path = file(['databases:', '  admin:', '    host: db.example.test', '    user: previewd_admin', '    password: in-the-configmap'].join('\n'));
    const err = configError(() => loadConfig({ env: {}, file: path }));
    expect(err.message).toMatch(/never goes in the config file; set PREVIEWD_DATABASES_ADMIN_PASSWORD/);
    expect(err.message).not.toContain('in-the-configmap');
  });

  test('refuses both variables at once, a password without a databases section, and a worker without a password', () => {
    expect(configError(() => loadConfig({ env: { PREVIEWD_DATABASES_ADMIN_PASSWORD: 'a', PREVIEWD_DATABASES_ADMIN_PASSWORD_FILE: file('b') }, base: { databases } })).message).toMatch(/not both/);
    expect(configError(() => loadConfig({ env: { PREVIEWD_DATABASES_ADMIN_PASSWORD: 'a' } })).message).toMatch(/no databases section/);
    expect(configError(() => requireDatabaseAdminPassword(loadConfig({ env: {}, base: { databases } }))).message).toMatch(/needs the admin password of previewd_admin/);
  });

  test('a repository cannot enable a database without the shared server', () => {
    expect(configError(() => loadConfig({ env: {}, base: { repositories: [repo({ enabled: true })] } })).message).toMatch(/repositories\.0\.database.*needs the databases section/s);
  });

  test.each([
    ['a prefix with a quote', { ...databases, prefix: "x'; DROP ROLE postgres; --" }, /databases\.prefix/],
    ['a reserved pg_ prefix', { ...databases, prefix: 'pg_preview' }, /databases\.prefix/],
    ['an uppercase prefix', { ...databases, prefix: 'Preview' }, /databases\.prefix/],
    ['a host carrying connection options', { admin: { host: 'db.example.test?sslmode=disable', user: 'previewd_admin' } }, /databases\.admin\.host/],
    ['a bootstrap size above the history bound', { ...databases, bootstrap: { maxBytes: 4 * 1024 * 1024 } }, /databases\.bootstrap\.maxBytes/],
  ])('refuses %s, naming the field', (_name, section, field) => {
    expect(configError(() => loadConfig({ env: { PREVIEWD_DATABASES_ADMIN_PASSWORD: 'a' }, base: { databases: section } })).message).toMatch(field);
  });

  test.each(['../secrets.sql', '/etc/passwd', 'db/../../x.sql', 'db//schema.sql', 'db\\schema.sql', './schema.sql'])('refuses the bootstrap path %j', (path) => {
    const err = configError(() => loadConfig({ env: { PREVIEWD_DATABASES_ADMIN_PASSWORD: 'a' }, base: { databases, repositories: [repo({ bootstrap: { path } })] } }));
    expect(err.message).toMatch(/repositories\.0\.database\.bootstrap\.path/);
  });
});
