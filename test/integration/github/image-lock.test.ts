import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { repositoryConfigSchema } from '../../../src/config';
import type { FakeGitHub } from '../../fakes/github-server';
import { primaryRateLimit, serverError } from '../../fakes/github-server';
import type { ResolveImagesInput } from '../../../workflows/contract';
import { activitiesFor, runActivity, SHA_A, startGitHub } from './support';

// resolveImages against the local GitHub stand-in's contents API: the PR's lock file at the
// head SHA, read as hostile input. Every refusal is non-retryable and names what to fix; GitHub's
// own outages and rate limits are retried.

const LOCK = 'deploy/preview/images.lock.yaml';
const D = `sha256:${'7'.repeat(64)}`;
const config = repositoryConfigSchema.parse({
  fullName: 'acme/shop',
  key: 'shop',
  images: { mode: 'digestLock', maxLockBytes: 1_024 },
  services: [
    { name: 'api', source: { repoURL: 'https://git.example.test/gitops.git', path: 'apps/api', image: 'ghcr.io/acme/api' } },
    { name: 'web', expose: { port: 8080 }, source: { repoURL: 'https://git.example.test/gitops.git', path: 'apps/web', image: 'ghcr.io/acme/web' } },
  ],
});
const input = (repository: string): ResolveImagesInput => ({
  preview: { repository, repoKey: 'shop', prNumber: 42 },
  headSha: SHA_A,
  selection: config.images!,
  services: config.services,
});

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('resolveImages (the digest lock file)', () => {
  let fake: FakeGitHub;
  let n = 0;
  /** A repository of its own per test: the fake's trees are per repository and commit. */
  const repository = () => `acme/shop-${++n}`;
  beforeAll(async () => {
    fake = await startGitHub();
  });
  afterAll(() => fake.close());

  it('reads the file at the head SHA and returns the pinned digests and the blob it read', async () => {
    const repo = repository();
    const text = `# written by CI\nimages:\n  web: ghcr.io/acme/web@${D}\n`;
    fake.setFile(repo, SHA_A, LOCK, text);
    fake.clearRequests();
    const result = await runActivity(activitiesFor(fake).resolveImages, input(repo));
    // Octokit percent-encodes the slashes of the path, which GitHub accepts.
    expect(fake.calls()).toEqual([`GET /repos/${repo}/contents/deploy%2Fpreview%2Fimages.lock.yaml?ref=${SHA_A}`]);
    expect(result).toEqual({ lockFile: LOCK, headSha: SHA_A, blobSha: createHash('sha1').update(`blob ${text.length}\0${text}`).digest('hex'), images: { web: { digest: D } } });
  });

  it.each([
    ['no lock file at that commit', () => undefined, new RegExp(`no image lock file deploy/preview/images\\.lock\\.yaml at ${SHA_A}: images\\.mode digestLock needs one`)],
    ['a directory at the path', (repo: string) => fake.setFile(repo, SHA_A, `${LOCK}/inner`, 'x'), /is a directory, not the image lock file/],
    ['a symlink at the path', (repo: string) => fake.setFile(repo, SHA_A, LOCK, { symlink: '/etc/passwd' }), /is a symlink, not a regular file/],
    ['a file over maxLockBytes', (repo: string) => fake.setFile(repo, SHA_A, LOCK, `images: {}\n${'#'.repeat(2_000)}\n`), /is 2012 bytes; image lock files may have at most 1024/],
    ['a file past the contents API limit', (repo: string) => fake.setFile(repo, SHA_A, LOCK, Buffer.alloc(1_100_000, 0x23)), /is 1100000 bytes/],
    ['bytes that are not UTF-8', (repo: string) => fake.setFile(repo, SHA_A, LOCK, Buffer.from([0x69, 0x6d, 0xff, 0xfe])), /is not UTF-8 text/],
    ['malformed YAML', (repo: string) => fake.setFile(repo, SHA_A, LOCK, 'images: [\n'), /is not valid YAML/],
    ['an unknown service', (repo: string) => fake.setFile(repo, SHA_A, LOCK, `images:\n  ghost: ghcr.io/acme/ghost@${D}\n`), /unknown service "ghost" \(configured: api, web\)/],
    ['a tag', (repo: string) => fake.setFile(repo, SHA_A, LOCK, 'images:\n  web: ghcr.io/acme/web:latest\n'), /web: "ghcr.io\/acme\/web:latest" is not ghcr.io\/acme\/web@<digest>/],
    ['a malformed digest', (repo: string) => fake.setFile(repo, SHA_A, LOCK, 'images:\n  web: ghcr.io/acme/web@sha256:1234\n'), /web: "sha256:1234" is not a digest/],
  ])('refuses %s, non-retryably, naming the problem', async (_what, arrange, message) => {
    const repo = repository();
    fake.setFile(repo, SHA_A, 'README.md', 'the commit exists');
    arrange(repo);
    const err = await failure(runActivity(activitiesFor(fake).resolveImages, input(repo)));
    expect(err).toMatchObject({ type: 'ImageLockInvalid', nonRetryable: true });
    expect(err.message).toMatch(message);
  });

  it('retries a GitHub rate limit after the wait GitHub asks for, and an outage with backoff', async () => {
    const repo = repository();
    fake.setFile(repo, SHA_A, LOCK, `images: {web: "ghcr.io/acme/web@${D}"}`);
    fake.failNext({ path: /\/contents\// }, primaryRateLimit(Math.ceil(Date.now() / 1000) + 30));
    const limited = await failure(runActivity(activitiesFor(fake).resolveImages, input(repo)));
    expect(limited).toMatchObject({ type: 'GitHubRateLimited', nonRetryable: false });
    expect(limited.nextRetryDelay).toBeDefined();
    fake.failNext({ path: /\/contents\// }, serverError());
    expect(await failure(runActivity(activitiesFor(fake).resolveImages, input(repo)))).toMatchObject({ type: 'GitHubUnavailable', nonRetryable: false });
    await expect(runActivity(activitiesFor(fake).resolveImages, input(repo))).resolves.toMatchObject({ images: { web: { digest: D } } });
  });
});
