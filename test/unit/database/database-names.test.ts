import fc from 'fast-check';
import {
  assertDatabasePrefix,
  assertPreviewDatabaseName,
  InvalidDatabaseNameError,
  isPreviewDatabaseName,
  MAX_IDENTIFIER_BYTES,
  previewDatabaseName,
  type DatabaseNaming,
} from '../../../src/database';

const naming: DatabaseNaming = { prefix: 'preview', namespacePrefix: 'pr' };
/** An identifier PostgreSQL accepts unquoted (and that never needs quoting to mean itself). */
const UNQUOTED_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const SEED = Number(process.env.PREVIEWD_FC_SEED ?? Date.now() % 2 ** 31);

/** Namespaces as previewd derives them: `<prefix>-<repo key>-<pr>`, DNS labels of at most 63 characters. */
const namespaceArb = fc
  .tuple(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$/), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }))
  .map(([key, pr]) => `pr-${key}-${pr}`)
  .filter((ns) => ns.length <= 63);

describe('previewDatabaseName', () => {
  beforeAll(() => console.info(`fast-check seed ${SEED} (repeat with PREVIEWD_FC_SEED=${SEED})`));

  it('is <prefix>_<namespace> with dashes as underscores', () => {
    expect(previewDatabaseName(naming, 'pr-shop-503')).toBe('preview_pr_shop_503');
  });

  it('hash-shortens an over-long name to exactly 63 bytes, keeping a readable head', () => {
    const namespace = `pr-${'k'.repeat(40)}-${'9'.repeat(16)}`;
    const name = previewDatabaseName({ ...naming, prefix: 'previewd_tenant1' }, namespace);
    expect(name).toHaveLength(MAX_IDENTIFIER_BYTES);
    expect(name.startsWith('previewd_tenant1_pr_kkkk')).toBe(true);
    expect(name).toMatch(/_[0-9a-f]{16}$/);
  });

  it('derives valid, distinct, prefixed identifiers of at most 63 bytes from any two namespaces', () => {
    fc.assert(
      fc.property(namespaceArb, namespaceArb, fc.constantFrom('preview', 'pv', 'previewd_tenant1'), (a, b, prefix) => {
        const n = { ...naming, prefix };
        const [nameA, nameB] = [previewDatabaseName(n, a), previewDatabaseName(n, b)];
        for (const name of [nameA, nameB]) {
          expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
          expect(name).toMatch(UNQUOTED_IDENTIFIER);
          expect(isPreviewDatabaseName(prefix, name)).toBe(true);
        }
        expect(nameA === nameB).toBe(a === b);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('is deterministic (same namespace, same name)', () => {
    const namespace = `pr-${'x'.repeat(50)}-7`;
    expect(previewDatabaseName(naming, namespace)).toBe(previewDatabaseName(naming, namespace));
  });

  it.each([
    ['a quote', "pr-a'b-1"],
    ['a double quote', 'pr-a"b-1'],
    ['a semicolon', 'pr-a;drop database postgres-1'],
    ['uppercase', 'pr-Shop-1'],
    ['an underscore', 'pr-a_b-1'],
    ['whitespace', 'pr-a b-1'],
    ['unicode', 'pr-shöp-1'],
    ['a NUL byte', 'pr-a\u0000-1'],
    ['more than 63 bytes', `pr-${'a'.repeat(61)}`],
    ['another prefix', 'kube-system'],
    ['the bare prefix', 'pr'],
    ['a prefix lookalike', 'prod-shop-1'],
    ['an empty string', ''],
  ])('refuses a namespace with %s', (_what, namespace) => {
    expect(() => previewDatabaseName(naming, namespace)).toThrow(InvalidDatabaseNameError);
  });

  it('refuses a namespace that is not a string at all', () => {
    expect(() => previewDatabaseName(naming, { toString: () => 'pr-x-1' } as unknown as string)).toThrow(InvalidDatabaseNameError);
  });

  it('says what it refused, cut short', () => {
    expect(() => previewDatabaseName(naming, `pr-${'x'.repeat(500)}`)).toThrow(/got "pr-x{77}…"/);
  });
});

describe('database prefixes', () => {
  it.each(['preview', 'pv', 'preview_db', 'a1'])('accepts %p', (prefix) => {
    expect(() => assertDatabasePrefix(prefix)).not.toThrow();
  });

  it.each(['', 'Preview', 'pg', 'pg_preview', '_preview', 'preview_', 'pre__view', '1preview', 'pre-view', 'p'.repeat(17), 'pre"view'])('refuses %p', (prefix) => {
    expect(() => assertDatabasePrefix(prefix)).toThrow(InvalidDatabaseNameError);
    expect(() => previewDatabaseName({ ...naming, prefix }, 'pr-shop-1')).toThrow(InvalidDatabaseNameError);
  });
});

describe('assertPreviewDatabaseName (names handed back to previewd)', () => {
  it('accepts a derived name', () => {
    expect(() => assertPreviewDatabaseName('preview', previewDatabaseName(naming, 'pr-shop-1'))).not.toThrow();
  });

  it.each([
    ['no prefix', 'postgres'],
    ['another prefix', 'staging_pr_shop_1'],
    ['the bare prefix', 'preview_'],
    ['a prefix lookalike', 'previewer_pr_1'],
    ['a quote', 'preview_a"b'],
    ['a semicolon', 'preview_a;drop'],
    ['uppercase', 'preview_Shop'],
    ['a dollar sign', 'preview_a$b'],
    ['more than 63 bytes', `preview_${'a'.repeat(56)}`],
    ['multi-byte characters', 'preview_ä'],
  ])('refuses a name with %s', (_what, name) => {
    expect(() => assertPreviewDatabaseName('preview', name)).toThrow(InvalidDatabaseNameError);
  });
});
