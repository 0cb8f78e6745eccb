import { buildDatabaseSecret, connectionUrl, decodeSecretData, SECRET_KEYS, type DatabaseSecretInput } from '../../../src/database';
import { generatePassword, isGeneratedPassword, scramSha256Verifier } from '../../../activities/database';

const input: DatabaseSecretInput = {
  namespace: 'pr-shop-12',
  secretName: 'preview-database',
  labels: { 'app.kubernetes.io/managed-by': 'previewd' },
  endpoint: { host: 'postgres.shared.svc.cluster.local', port: 5432 },
  database: 'preview_pr_shop_12',
  username: 'preview_pr_shop_12',
  password: 'aB3_-xYz',
};

describe('buildDatabaseSecret', () => {
  it('is an Opaque Secret in the preview namespace with exactly the six keys, base64-encoded', () => {
    const secret = buildDatabaseSecret(input);
    expect(secret.metadata).toEqual({ name: 'preview-database', namespace: 'pr-shop-12', labels: { 'app.kubernetes.io/managed-by': 'previewd' } });
    expect(secret.type).toBe('Opaque');
    expect(Object.keys(secret.data).sort()).toEqual([...SECRET_KEYS].sort());
    expect(decodeSecretData(secret.data)).toEqual({
      host: 'postgres.shared.svc.cluster.local',
      port: '5432',
      database: 'preview_pr_shop_12',
      username: 'preview_pr_shop_12',
      password: 'aB3_-xYz',
      url: 'postgresql://preview_pr_shop_12:aB3_-xYz@postgres.shared.svc.cluster.local:5432/preview_pr_shop_12',
    });
  });

  it('keeps the password only in `data` (labels, names and metadata never carry it)', () => {
    const { data: _data, ...rest } = buildDatabaseSecret({ ...input, password: 'unique-password-text' });
    expect(JSON.stringify(rest)).not.toContain('unique-password-text');
  });

  it('is the same object for the same input (server-side apply sees no change)', () => {
    expect(buildDatabaseSecret(input)).toEqual(buildDatabaseSecret(input));
  });
});

describe('connectionUrl', () => {
  it('percent-encodes every part and brackets IPv6 hosts', () => {
    expect(connectionUrl({ host: 'fd00::5', port: 6432, sslMode: 'verify-full' }, 'db', 'us@r', 'p:w/d?#')).toBe(
      'postgresql://us%40r:p%3Aw%2Fd%3F%23@[fd00::5]:6432/db?sslmode=verify-full',
    );
  });
});

describe('generated passwords', () => {
  it('are 256 random bits in base64url, different every time', () => {
    const passwords = new Set(Array.from({ length: 200 }, () => generatePassword()));
    expect(passwords.size).toBe(200);
    for (const password of passwords) {
      expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(encodeURIComponent(password)).toBe(password);
      expect(isGeneratedPassword(password)).toBe(true);
    }
  });

  it.each(['', 'short', 'x'.repeat(44), `${'x'.repeat(42)}=`, `${'x'.repeat(42)}+`, undefined, 42])('does not take %p for one of its own', (value) => {
    expect(isGeneratedPassword(value)).toBe(false);
  });
});

describe('scramSha256Verifier', () => {
  it('has PostgreSQL\'s storage format, with a fresh salt each time', () => {
    const password = generatePassword();
    const [a, b] = [scramSha256Verifier(password), scramSha256Verifier(password)];
    const shape = /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/;
    expect(a).toMatch(shape);
    expect(b).toMatch(shape);
    expect(a).not.toBe(b);
    expect(a).not.toContain(password);
  });

  it('is deterministic for a given salt', () => {
    const salt = Buffer.from('0123456789abcdef');
    expect(scramSha256Verifier('pencil', salt)).toBe(scramSha256Verifier('pencil', salt));
    expect(scramSha256Verifier('pencil', salt)).not.toBe(scramSha256Verifier('pencils', salt));
  });

  it('refuses passwords SASLprep would change rather than hash them differently from the server', () => {
    expect(() => scramSha256Verifier('päss')).toThrow(/printable ASCII/);
    expect(() => scramSha256Verifier('with space')).toThrow(/printable ASCII/);
  });
});
