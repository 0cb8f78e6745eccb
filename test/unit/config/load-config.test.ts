import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/errors';
import { loadConfig, loadDevSettings, parseConfig, requireClusterSettings, requireWebhookSecrets, temporalConnectionOptions } from '../../../src/config';

const dir = mkdtempSync(join(tmpdir(), 'previewd-config-'));
let files = 0;
function yamlFile(text: string): string {
  const file = join(dir, `config-${files++}.yaml`);
  writeFileSync(file, text);
  return file;
}

const service = { name: 'web', source: { repoURL: 'https://git.example.test/gitops.git', path: 'apps/web', image: 'ghcr.example.test/acme/web' } };
const repo = (fullName: string, key: string, extra: Record<string, unknown> = {}) => ({ fullName, key, services: [service], ...extra });

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('defaults', () => {
  test('with no file and no variables every section has its documented default', () => {
    const config = loadConfig({ env: {} });
    expect(config.temporal).toMatchObject({ address: 'localhost:7233', namespace: 'default', taskQueue: 'previewd', tls: { enabled: false }, acceptTimeoutMs: 5_000 });
    expect(config.ingress).toEqual({ host: '0.0.0.0', port: 8080, bodyLimitBytes: 25 * 1024 * 1024, rateLimit: { max: 100, window: '1m' } });
    expect(config.defaults.ttl).toEqual({ default: '4h', extended: '24h', extendedLabel: 'preview/do-not-expire', max: '7d' });
    expect(config.defaults.trigger).toEqual({ mode: 'label', label: 'preview', drafts: false, forks: false });
    expect(config.rates).toMatchObject({ cpuCoreHour: 0.04, memoryGiBHour: 0.005, currency: 'USD' });
    expect(config.github).toEqual({ apiBaseUrl: 'https://api.github.com', webhookSecrets: [] });
    expect(config.ai).toMatchObject({ enabled: false, baseUrl: 'https://api.openai.com/v1', perMinute: 100 });
    expect(config.repositories).toEqual([]);
    expect(config.cluster).toBeUndefined();
  });

  test('only the env passed in is read, never process.env behind its back', () => {
    process.env.PREVIEWD_INGRESS_PORT = '9999';
    try {
      expect(loadConfig({ env: {} }).ingress.port).toBe(8080);
    } finally {
      delete process.env.PREVIEWD_INGRESS_PORT;
    }
  });
});

describe('layers', () => {
  test('environment variables override the YAML file, which overrides the base', () => {
    const file = yamlFile(['temporal:', '  address: temporal.internal:7233', '  namespace: previews', 'ingress:', '  port: 9000'].join('\n'));
    const config = loadConfig({ env: { PREVIEWD_CONFIG: file, PREVIEWD_TEMPORAL_NAMESPACE: 'from-env', PREVIEWD_TEMPORAL_TLS: 'true' }, base: { temporal: { taskQueue: 'from-base', namespace: 'from-base' } } });
    expect(config.temporal).toMatchObject({ address: 'temporal.internal:7233', namespace: 'from-env', taskQueue: 'from-base', tls: { enabled: true } });
    expect(config.ingress.port).toBe(9000);
  });

  test('an explicit file wins over PREVIEWD_CONFIG', () => {
    const a = yamlFile('log:\n  level: debug\n');
    const b = yamlFile('log:\n  level: warn\n');
    expect(loadConfig({ env: { PREVIEWD_CONFIG: a }, file: b }).log.level).toBe('warn');
  });

  test('an empty variable counts as unset', () => {
    expect(loadConfig({ env: { PREVIEWD_INGRESS_PORT: '' } }).ingress.port).toBe(8080);
  });

  test('webhook secrets from the environment: the current one, then the previous one during a rotation', () => {
    const config = loadConfig({ env: { PREVIEWD_GITHUB_WEBHOOK_SECRET: 'new-secret-123', PREVIEWD_GITHUB_WEBHOOK_SECRET_PREVIOUS: 'old-secret-456' } });
    expect(config.github.webhookSecrets).toEqual(['new-secret-123', 'old-secret-456']);
    const err = configError(() => loadConfig({ env: { PREVIEWD_GITHUB_WEBHOOK_SECRET_PREVIOUS: 'old-secret-456' } }));
    expect(err.field).toBe('github.webhookSecrets');
  });

  test('GitHub auth from the environment: a token, or an App with its key from a file, not both', () => {
    expect(loadConfig({ env: { PREVIEWD_GITHUB_TOKEN: 'ghp_x' } }).github.auth).toEqual({ type: 'token', token: 'ghp_x' });
    const keyFile = yamlFile('-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n');
    const app = loadConfig({ env: { PREVIEWD_GITHUB_APP_ID: '123', PREVIEWD_GITHUB_APP_INSTALLATION_ID: '456', PREVIEWD_GITHUB_APP_PRIVATE_KEY_FILE: keyFile } }).github.auth;
    expect(app).toMatchObject({ type: 'app', appId: 123, installationId: 456, privateKey: expect.stringContaining('PRIVATE KEY') });
    expect(configError(() => loadConfig({ env: { PREVIEWD_GITHUB_TOKEN: 'ghp_x', PREVIEWD_GITHUB_APP_ID: '1' } })).field).toBe('github.auth');
  });
});

describe('validation names the field', () => {
  test('an unknown key in the file is rejected, with its full path and the file', () => {
    const file = yamlFile('ingress:\n  prot: 8080\n');
    const err = configError(() => loadConfig({ env: {}, file }));
    expect(err.field).toBe('ingress.prot');
    expect(err.message).toContain('ingress.prot: unknown key');
    expect(err.message).toContain(file);
  });

  test('an unknown key deep inside a repository is rejected', () => {
    const err = configError(() => parseConfig({ repositories: [repo('acme/shop', 'shop', { trigger: { mode: 'always', lable: 'x' } })] }));
    expect(err.field).toBe('repositories.0.trigger.lable');
  });

  test('a bad value from a variable names the field and the variable', () => {
    const err = configError(() => loadConfig({ env: { PREVIEWD_INGRESS_PORT: 'eighty' } }));
    expect(err.field).toBe('ingress.port');
    expect(err.message).toContain('(from PREVIEWD_INGRESS_PORT)');
  });

  test.each([
    [{ temporal: { address: 'no-port' } }, 'temporal.address'],
    [{ temporal: { apiKey: 'k' } }, 'temporal.tls.enabled'],
    [{ temporal: { tls: { enabled: true, certFile: '/c.pem' } } }, 'temporal.tls.keyFile'],
    [{ ingress: { bodyLimitBytes: 26 * 1024 * 1024 } }, 'ingress.bodyLimitBytes'],
    [{ ingress: { rateLimit: { window: 'soon' } } }, 'ingress.rateLimit.window'],
    [{ github: { apiBaseUrl: 'ftp://github.example' } }, 'github.apiBaseUrl'],
    [{ github: { webhookSecrets: ['short'] } }, 'github.webhookSecrets.0'],
    [{ github: { auth: { type: 'app', appId: 1, privateKey: 'not a key' } } }, 'github.auth.privateKey'],
    [{ repositories: [repo('acme/shop', 'Shop')] }, 'repositories.0.key'],
    [{ repositories: [repo('acme/shop', 'shop'), repo('ACME/Shop', 'shop2')] }, 'repositories.1.fullName'],
    [{ repositories: [repo('acme/shop', 'shop'), repo('acme/web', 'shop')] }, 'repositories.1.key'],
    [{ defaults: { ttl: { default: 'forever' } } }, 'defaults.ttl.default'],
    [{ repositories: [repo('acme/shop', 'shop', { ttl: { default: '8d' } })] }, 'repositories.0.ttl.default'],
    [{ lifecycle: { readinessTimeout: '-5m' } }, 'lifecycle.readinessTimeout'],
    [{ cluster: { domain: 'example.test' } }, 'cluster.baseEnvironment'],
    [{ log: { level: 'loud' } }, 'log.level'],
  ])('%j → %s', (raw, field) => {
    const err = configError(() => parseConfig(raw));
    expect(err.field).toBe(field);
    expect(err.message).toContain(`${field}:`);
  });

  test('a YAML syntax error and a file that is not a mapping are reported as such', () => {
    expect(configError(() => loadConfig({ env: {}, file: yamlFile('temporal: [unclosed\n') })).message).toContain('not valid YAML');
    expect(configError(() => loadConfig({ env: {}, file: yamlFile('- a\n- b\n') })).message).toContain('mapping');
    expect(configError(() => loadConfig({ env: {}, file: join(dir, 'missing.yaml') })).message).toContain('cannot read config file');
  });
});

describe('repositories inherit the operator defaults', () => {
  test('keys a repository omits come from defaults; keys it sets win', () => {
    const config = parseConfig({
      defaults: { ttl: { default: '2h', max: '3d' }, trigger: { mode: 'always', drafts: true } },
      repositories: [repo('acme/a', 'a'), repo('acme/b', 'b', { ttl: { default: '1h' }, trigger: { drafts: false } })],
    });
    expect(config.repositories[0]?.ttl).toEqual({ default: '2h', extended: '24h', extendedLabel: 'preview/do-not-expire', max: '3d' });
    expect(config.repositories[0]?.trigger).toMatchObject({ mode: 'always', drafts: true, forks: false });
    expect(config.repositories[1]?.ttl).toMatchObject({ default: '1h', max: '3d' });
    expect(config.repositories[1]?.trigger).toMatchObject({ mode: 'always', drafts: false });
  });
});

describe('the result', () => {
  test('is deeply frozen', () => {
    const config = parseConfig({ repositories: [repo('acme/a', 'a')] });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.repositories[0]?.services[0]?.source)).toBe(true);
    expect(() => {
      (config.temporal as { address: string }).address = 'evil:1';
    }).toThrow(TypeError);
  });

  test('processes that need a section refuse to start without it, naming the field', () => {
    const config = parseConfig({});
    expect(configError(() => requireClusterSettings(config)).field).toBe('cluster');
    expect(configError(() => requireWebhookSecrets(config)).field).toBe('github.webhookSecrets');
    expect(requireWebhookSecrets(parseConfig({ github: { webhookSecrets: ['0123456789'] } }))).toEqual(['0123456789']);
  });

  test('Temporal connection options: plain, TLS with files, API key', () => {
    expect(temporalConnectionOptions(parseConfig({}).temporal)).toEqual({ address: 'localhost:7233' });
    const ca = yamlFile('CA PEM');
    const cloud = parseConfig({ temporal: { address: 'ns.acct.tmprl.cloud:7233', apiKey: 'key', tls: { enabled: true, caFile: ca, serverName: 'sni' } } }).temporal;
    const options = temporalConnectionOptions(cloud);
    expect(options).toMatchObject({ address: 'ns.acct.tmprl.cloud:7233', apiKey: 'key', tls: { serverNameOverride: 'sni' } });
    expect(options.tls?.serverRootCACertificate?.toString()).toBe('CA PEM');
    const missing = parseConfig({ temporal: { tls: { enabled: true, caFile: join(dir, 'nope.pem') } } }).temporal;
    expect(configError(() => temporalConnectionOptions(missing)).field).toBe('temporal.tls.caFile');
  });
});

describe('dev settings', () => {
  test('defaults and overrides from the environment', () => {
    const dev = loadDevSettings({ HOME: '/home/dev', PATH: '/bin', PREVIEWD_DEV_UI_PORT: '9233' });
    expect(dev).toMatchObject({ cacheDir: '/home/dev/.cache/previewd', searchPath: '/bin', temporalPort: 7233, uiPort: 9233 });
    expect(dev.stateDir).toMatch(/\.previewd$/);
    expect(configError(() => loadDevSettings({ PREVIEWD_DEV_TEMPORAL_PORT: 'x' })).message).toContain('PREVIEWD_DEV_TEMPORAL_PORT');
    expect(dev).toMatchObject({ cluster: 'auto', home: '/home/dev' });
    expect(loadDevSettings({ HOME: '/home/dev', PREVIEWD_DEV_CLUSTER: 'embedded' }).cluster).toBe('embedded');
    expect(configError(() => loadDevSettings({ HOME: '/home/dev', PREVIEWD_DEV_CLUSTER: 'kind' })).message).toContain('PREVIEWD_DEV_CLUSTER');
  });
});
