import { repositoryConfigSchema, serviceConfigSchema } from '../../../src/config';
import { checkImageLock, ImageLockError, parseImageLock } from '../../../src/images';

const FILE = 'deploy/preview/images.lock.yaml';
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha512:${'ab'.repeat(64)}`;
const services = [
  serviceConfigSchema.parse({ name: 'api', source: { repoURL: 'https://git.example.test/gitops.git', path: 'apps/api', image: 'ghcr.io/acme/api' } }),
  serviceConfigSchema.parse({ name: 'web', source: { repoURL: 'https://git.example.test/gitops.git', path: 'apps/web', image: 'registry.example.test:5000/acme/web' } }),
  serviceConfigSchema.parse({ name: 'smoke', source: { type: 'prBundle', repoURL: 'https://github.com/acme/shop.git' } }),
];

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImageLockError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('image lock file', () => {
  it('reads YAML and JSON, and pins each listed service to its digest', () => {
    const yaml = `images:\n  api: ghcr.io/acme/api@${D1}\n  web: "registry.example.test:5000/acme/web@${D2}"\n`;
    expect(checkImageLock(parseImageLock(yaml, FILE), services, FILE)).toEqual({ api: { digest: D1 }, web: { digest: D2 } });
    const json = JSON.stringify({ images: { api: `ghcr.io/acme/api@${D1}` } });
    expect(checkImageLock(parseImageLock(json, FILE), services, FILE)).toEqual({ api: { digest: D1 } });
  });

  it.each([
    ['not YAML', 'images: [', /is not valid YAML: /],
    ['a duplicated key', `images:\n  api: a\n  api: b\n`, /is not valid YAML: Map keys must be unique/],
    ['aliases (how YAML bombs expand)', `x: &a ghcr.io/acme/api@${D1}\nimages:\n  api: *a\n`, /not a plain YAML document: Alias resolution is disabled/],
    ['another top-level key', `images: {}\nnamespace: kube-system\n`, /does not have the shape .*Unrecognized key: "namespace"/],
    ['a list instead of a map', `images: [a, b]\n`, /images: Invalid input: expected record/],
    ['a number instead of a reference', `images:\n  api: 42\n`, /images\.api: Invalid input: expected string/],
    ['an empty file', '', /\(top level\): Invalid input: expected object/],
  ])('refuses %s', (_what, text, message) => {
    expect(refusal(() => parseImageLock(text, FILE))).toMatch(message);
  });

  it.each([
    ['an unknown service', { ghost: `ghcr.io/acme/ghost@${D1}` }, /unknown service "ghost" \(configured: api, web, smoke\)/],
    // As a YAML or JSON parser produces it: an own property, not the prototype.
    ['a key that is not a service name', JSON.parse(`{"__proto__": "x@${D1}"}`) as Record<string, string>, /unknown service "__proto__"/],
    ['a tag where a digest belongs', { api: 'ghcr.io/acme/api:1.2.3' }, /api: "ghcr.io\/acme\/api:1.2.3" is not ghcr.io\/acme\/api@<digest>/],
    ['a tag and a digest', { api: `ghcr.io/acme/api:1.2.3@${D1}` }, /is not ghcr.io\/acme\/api@<digest>/],
    ['another image repository', { api: `ghcr.io/evil/api@${D1}` }, /the image is the operator's; the lock only pins its digest/],
    ['a short digest', { api: 'ghcr.io/acme/api@sha256:abc' }, /api: "sha256:abc" is not a digest/],
    ['an upper-case digest', { api: `ghcr.io/acme/api@sha256:${'A'.repeat(64)}` }, /is not a digest/],
    ['an unknown algorithm', { api: `ghcr.io/acme/api@md5:${'a'.repeat(32)}` }, /is not a digest/],
    ['a service whose images come from its bundle', { smoke: `ghcr.io/acme/smoke@${D1}` }, /smoke takes its images from its own bundle/],
  ])('refuses %s', (_what, entries, message) => {
    expect(refusal(() => checkImageLock(Object.fromEntries(Object.entries(entries)), services, FILE))).toMatch(message);
  });

  it('names every problem, up to five, and counts the rest', () => {
    const entries = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`ghost${i}`, 'x']));
    const message = refusal(() => checkImageLock(entries, services, FILE));
    expect(message.match(/unknown service/g)).toHaveLength(5);
    expect(message).toMatch(/; and 3 more$/);
  });

  it('cuts long hostile values in the message', () => {
    const message = refusal(() => checkImageLock({ api: `${'x'.repeat(500)}@${D1}` }, services, FILE));
    expect(message.length).toBeLessThan(300);
  });
});

describe('images config', () => {
  const base = { fullName: 'acme/shop', key: 'shop', services: [{ name: 'smoke', source: { type: 'prBundle', repoURL: 'https://github.com/acme/shop.git' } }] };

  it('defaults the lock file under deploy/preview/ and its size limit', () => {
    expect(repositoryConfigSchema.parse({ ...base, images: { mode: 'digestLock' } }).images).toEqual({ mode: 'digestLock', lockFile: 'deploy/preview/images.lock.yaml', maxLockBytes: 65_536 });
  });

  it('refuses requireDigests for a service whose image previewd cannot pin', () => {
    const result = repositoryConfigSchema.safeParse({ ...base, images: { mode: 'requireDigests' } });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['services', 0, 'source', 'image'], message: expect.stringContaining('requireDigests needs the image previewd pins for smoke') as unknown })]);
  });

  it('refuses a lock file path outside the repository', () => {
    expect(() => repositoryConfigSchema.parse({ ...base, images: { mode: 'digestLock', lockFile: '../secrets.yaml' } })).toThrow(/lockFile/);
  });
});
