import { generateKeyPairSync } from 'node:crypto';
import { createGitHubActivities } from '../../../activities/github';
import { FakeGitHub } from '../../fakes/github-server';
import { SHA_A, failureOf, report, runActivity } from './support';

// Auth by GitHub App (JWT signed with the App's key → installation token, per repository owner)
// and by token, against a GitHub Enterprise Server-style base URL (`…/api/v3`).

const APP_ID = 123456;
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  // GitHub hands out App keys in PKCS#1 ("BEGIN RSA PRIVATE KEY").
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

describe('GitHub App auth on GitHub Enterprise Server', () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await FakeGitHub.start({ basePath: '/api/v3', app: { appId: APP_ID, publicKeyPem: keys.publicKey, installations: { 'acme/shop': 4242, 'globex/store': 5151 } } });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.clearRequests());

  const schemes = () => fake.requests.map((r) => `${r.method} ${r.path} ${(r.headers.authorization ?? '').split(' ')[0]}`);

  it('finds the installation of the repository, exchanges a JWT for its token, then uses the token (cached)', async () => {
    const { reportPreview } = createGitHubActivities({ auth: { type: 'app', appId: APP_ID, privateKey: keys.privateKey }, apiBaseUrl: fake.url });
    await runActivity(reportPreview, report());
    expect(schemes().slice(0, 3)).toEqual(['GET /repos/acme/shop/installation bearer', 'POST /app/installations/4242/access_tokens bearer', `POST /repos/acme/shop/statuses/${SHA_A} token`]);
    expect(fake.requests[2]?.headers.authorization).toBe(`token ${fake.issuedTokens[0]}`);
    expect(fake.requests.slice(2).every((r) => r.headers.authorization === `token ${fake.issuedTokens[0]}`)).toBe(true);
    expect(fake.requests.every((r) => r.headers['user-agent']?.startsWith('previewd '))).toBe(true);

    fake.clearRequests();
    await runActivity(reportPreview, report());
    expect(fake.requests.some((r) => r.path.includes('installation'))).toBe(false);

    // Another owner: its own installation and token.
    await runActivity(reportPreview, report({ preview: { repository: 'globex/store', repoKey: 'store', prNumber: 7 } }));
    expect(schemes().filter((s) => s.includes('installation'))).toEqual(['GET /repos/globex/store/installation bearer', 'POST /app/installations/5151/access_tokens bearer']);
    expect(fake.issuedTokens).toHaveLength(2);
  });

  it('uses a configured installation id without looking it up', async () => {
    const { reportPreview } = createGitHubActivities({ auth: { type: 'app', appId: APP_ID, privateKey: keys.privateKey, installationId: 4242 }, apiBaseUrl: fake.url });
    await runActivity(reportPreview, report());
    expect(schemes()[0]).toBe('POST /app/installations/4242/access_tokens bearer');
    expect(fake.requests.some((r) => r.path.endsWith('/installation'))).toBe(false);
  });

  it('an App that is not installed on the repository: non-retryable, says so', async () => {
    const { reportPreview } = createGitHubActivities({ auth: { type: 'app', appId: APP_ID, privateKey: keys.privateKey }, apiBaseUrl: fake.url });
    const failure = await failureOf(runActivity(reportPreview, report({ preview: { repository: 'initech/tps', repoKey: 'tps', prNumber: 1 } })));
    expect(failure).toMatchObject({ type: 'GitHubPermission', nonRetryable: true });
    expect(failure.message).toContain('GitHub refused to get a GitHub App installation token on initech/tps (404: not found, or not visible to these credentials)');
    expect(failure.message).toContain('to be installed on the repository');
  });

  it('a key that does not belong to the App: non-retryable, and the key never shows up in the message', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const { reportPreview } = createGitHubActivities({ auth: { type: 'app', appId: APP_ID, privateKey: other.privateKey, installationId: 4242 }, apiBaseUrl: fake.url });
    const failure = await failureOf(runActivity(reportPreview, report()));
    expect(failure).toMatchObject({ type: 'GitHubPermission', nonRetryable: true });
    expect(failure.message).toContain("GitHub rejected previewd's credentials while trying to get a GitHub App installation token on acme/shop (401)");
    expect(failure.message).not.toContain('PRIVATE KEY');
    expect(failure.message).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT either
  });
});

describe('token auth', () => {
  it('sends the token as `token …` to the configured base URL', async () => {
    const fake = await FakeGitHub.start({ basePath: '/api/v3', tokens: ['ghp_configured'] });
    try {
      const { reportPreview } = createGitHubActivities({ auth: { type: 'token', token: 'ghp_configured' }, apiBaseUrl: `${fake.url}/` });
      await runActivity(reportPreview, report());
      expect(fake.requests.length).toBeGreaterThan(0);
      expect(fake.requests.every((r) => r.headers.authorization === 'token ghp_configured')).toBe(true);
    } finally {
      await fake.close();
    }
  });
});
