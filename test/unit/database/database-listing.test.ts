import {
  databaseSettingsSchema,
  isOwnedBy,
  ownershipMarker,
  parseDatabaseComment,
  parseDatabaseSettings,
  parseOwnershipMarker,
  previewDatabaseName,
  renderComment,
  screenPreviewDatabase,
  type DatabaseScreenOptions,
  type PreviewDatabaseEntry,
} from '../../../src/database';

const naming = { prefix: 'preview', namespacePrefix: 'pr' };
const HOUR = 3_600_000;
const now = Date.parse('2030-01-02T00:00:00.000Z');
const opts: DatabaseScreenOptions = { naming, nowMs: now, retentionMs: HOUR };
const owner = { namespace: 'pr-shop-7', workflowId: 'preview:acme/shop#7' };
const marker = ownershipMarker({ ...owner, createdAt: '2030-01-01T00:00:00.000Z' });
const name = previewDatabaseName(naming, owner.namespace);

describe('ownership markers', () => {
  it('round-trip through the comment text', () => {
    expect(parseOwnershipMarker(renderComment(marker))).toEqual(marker);
    expect(isOwnedBy(parseOwnershipMarker(renderComment(marker)), owner)).toBe(true);
  });

  it.each([
    ['no comment', null],
    ['a person\'s comment', 'billing database, do not touch'],
    ['another tool\'s JSON', '{"owner":"terraform"}'],
    ['another manager', renderComment({ ...marker, managedBy: 'someone-else' } as never)],
    ['a bad timestamp', JSON.stringify({ ...marker, createdAt: 'yesterday' })],
    ['extra keys', JSON.stringify({ ...marker, admin: true })],
  ])('are absent for %s', (_what, comment) => {
    expect(parseOwnershipMarker(comment)).toBeUndefined();
  });

  it('name one owner only', () => {
    const parsed = parseOwnershipMarker(renderComment(marker));
    expect(isOwnedBy(parsed, { ...owner, workflowId: 'preview:acme/shop#8' })).toBe(false);
    expect(isOwnedBy(parsed, { ...owner, namespace: 'pr-shop-8' })).toBe(false);
    expect(isOwnedBy(undefined, owner)).toBe(false);
  });

  it('database comments may add the bootstrap record', () => {
    const comment = { ...marker, bootstrap: { sha256: 'a'.repeat(64), appliedAt: '2030-01-01T00:00:01.000Z' } };
    expect(parseDatabaseComment(renderComment(comment))).toEqual(comment);
    expect(parseDatabaseComment(JSON.stringify({ ...comment, bootstrap: { sha256: 'nope', appliedAt: comment.bootstrap.appliedAt } }))).toBeUndefined();
  });
});

describe('screenPreviewDatabase (the janitor\'s offline check)', () => {
  const entry = (over: Partial<PreviewDatabaseEntry> = {}): PreviewDatabaseEntry => ({
    name,
    role: { marker },
    database: { owner: name },
    ...over,
  });

  it('makes a marked, consistent, old enough entry a candidate for its owner', () => {
    expect(screenPreviewDatabase(entry(), opts)).toEqual({ kind: 'candidate', name, namespace: owner.namespace, workflowId: owner.workflowId, ageMs: 24 * HOUR });
  });

  it('makes a role whose database never came a candidate too', () => {
    expect(screenPreviewDatabase(entry({ database: undefined }), opts)).toMatchObject({ kind: 'candidate', name });
  });

  it.each<[string, PreviewDatabaseEntry, string]>([
    ['a name previewd does not derive', { name: 'preview_Shop', role: { marker } }, 'malformed'],
    ['a database without its role', { name, database: { owner: 'someone' } }, 'unmarked'],
    ['a role without a marker', { name, role: {} }, 'unmarked'],
    ['a marker naming another namespace', { name, role: { marker: { ...marker, namespace: 'pr-shop-8' } } }, 'mismatched'],
    ['a marker naming a namespace outside the prefix', { name, role: { marker: { ...marker, namespace: 'kube-system' } } }, 'mismatched'],
    ['a database owned by another role', { name, role: { marker }, database: { owner: 'postgres' } }, 'foreign-owner'],
    ['a young entry', { name, role: { marker: { ...marker, createdAt: '2030-01-01T23:30:00.000Z' } } }, 'too-young'],
  ])('skips %s', (_what, e, reason) => {
    expect(screenPreviewDatabase(e, opts)).toMatchObject({ kind: 'skip', reason });
  });
});

describe('database settings', () => {
  it('need only the endpoint; every other value has a visible default', () => {
    expect(parseDatabaseSettings({ endpoint: { host: 'postgres.shared' } })).toEqual({
      prefix: 'preview',
      namespacePrefix: 'pr',
      secretName: 'preview-database',
      endpoint: { host: 'postgres.shared', port: 5432 },
      connectionLimit: 20,
      bootstrap: { maxBytes: 1024 * 1024, timeoutMs: 60_000 },
    });
  });

  it('are frozen', () => {
    const settings = parseDatabaseSettings({ endpoint: { host: 'postgres.shared' } });
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.endpoint)).toBe(true);
  });

  it.each([
    ['a pg_ prefix', { prefix: 'pg_previews' }, 'prefix'],
    ['an uppercase prefix', { prefix: 'Preview' }, 'prefix'],
    ['an unknown key', { owner: 'me' }, ''],
    ['a zero connection limit', { connectionLimit: 0 }, 'connectionLimit'],
    ['a bad secret name', { secretName: 'Bad_Name' }, 'secretName'],
  ])('refuse %s, naming the field', (_what, over, field) => {
    const parsed = databaseSettingsSchema.safeParse({ endpoint: { host: 'h' }, ...over });
    expect(parsed.success).toBe(false);
    if (field) expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(field);
  });
});
