import { hasPreviewPrefix, InvalidPreviewNameError, previewNamespaceName } from '../../../src/kubernetes';

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('previewNamespaceName', () => {
  it('is <prefix>-<repo key>-<pr>', () => {
    expect(previewNamespaceName('pr', 'shop', 503)).toBe('pr-shop-503');
  });

  it('stays a DNS-1123 label within 63 characters at the largest allowed inputs', () => {
    const name = previewNamespaceName('p'.repeat(20), 'k'.repeat(20), Number.MAX_SAFE_INTEGER);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(DNS_1123_LABEL);
  });

  it.each([
    ['uppercase', 'Shop'],
    ['path traversal', '../etc'],
    ['dots', 'a.b'],
    ['leading dash', '-shop'],
    ['trailing dash', 'shop-'],
    ['empty', ''],
    ['unicode', 'shöp'],
    ['spaces', 'my shop'],
    ['injection', 'x,app.kubernetes.io/managed-by=previewd'],
    ['too long', 'k'.repeat(21)],
  ])('rejects a hostile repo key (%s) instead of rewriting it', (_what, key) => {
    expect(() => previewNamespaceName('pr', key, 1)).toThrow(InvalidPreviewNameError);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1, 1e21])('rejects PR number %p', (n) => {
    expect(() => previewNamespaceName('pr', 'shop', n)).toThrow(InvalidPreviewNameError);
  });

  it('rejects a PR number that is not a number at all', () => {
    expect(() => previewNamespaceName('pr', 'shop', '7; rm -rf' as unknown as number)).toThrow(InvalidPreviewNameError);
  });

  it('rejects a bad prefix', () => {
    expect(() => previewNamespaceName('PR', 'shop', 1)).toThrow(InvalidPreviewNameError);
    expect(() => previewNamespaceName('p'.repeat(21), 'shop', 1)).toThrow(InvalidPreviewNameError);
  });

  it('gives different PRs and repos different names (the PR number is always the last segment)', () => {
    const names = new Set([
      previewNamespaceName('pr', 'a-1', 2),
      previewNamespaceName('pr', 'a', 12),
      previewNamespaceName('pr', 'a-12', 1),
      previewNamespaceName('pr', 'a', 1),
    ]);
    expect(names.size).toBe(4);
  });
});

describe('hasPreviewPrefix', () => {
  it('accepts only names under the configured prefix', () => {
    expect(hasPreviewPrefix('pr', 'pr-shop-1')).toBe(true);
    expect(hasPreviewPrefix('pr', 'production')).toBe(false);
    expect(hasPreviewPrefix('pr', 'pr')).toBe(false);
    expect(hasPreviewPrefix('pr', 'kube-system')).toBe(false);
    expect(hasPreviewPrefix('pr', `pr-${'x'.repeat(61)}`)).toBe(false);
  });
});
