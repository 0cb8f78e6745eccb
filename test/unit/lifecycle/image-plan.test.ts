import { serviceConfigSchema } from '../../../src/config';
import { planImages } from '../../../src/lifecycle';

const D = `sha256:${'d'.repeat(64)}`;
const svc = (name: string, image = true) =>
  serviceConfigSchema.parse({ name, source: image ? { repoURL: 'https://git.example.test/g.git', path: name, image: `ghcr.io/acme/${name}` } : { type: 'prBundle', repoURL: 'https://github.com/acme/x.git' } });
const resolved = { lockFile: 'deploy/preview/images.lock.yaml', headSha: 'a'.repeat(40), blobSha: 'b'.repeat(40), images: { api: { digest: D } } };

describe('planImages', () => {
  it('passes nothing in tag mode (the head SHA tag is the default)', () => {
    expect(planImages('tag', [svc('api')], undefined)).toEqual({});
  });

  it('digestLock: pinned services run their digest, the others the head SHA tag', () => {
    expect(planImages('digestLock', [svc('api'), svc('web')], resolved)).toEqual({ images: { api: { digest: D } } });
  });

  it('requireDigests: refuses the round when a deployed service is not pinned', () => {
    expect(planImages('requireDigests', [svc('api'), svc('web')], resolved)).toEqual({
      refusal: `images.mode requireDigests: deploy/preview/images.lock.yaml at ${'a'.repeat(40)} pins no digest for web (tags are refused)`,
    });
    expect(planImages('requireDigests', [svc('api')], resolved)).toEqual({ images: { api: { digest: D } } });
  });

  it('only looks at the services being deployed', () => {
    expect(planImages('requireDigests', [], resolved)).toEqual({ images: {} });
  });
});
