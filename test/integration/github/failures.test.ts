import { ApplicationFailure } from '@temporalio/common';
import { notAccessible, notFound, primaryRateLimit, secondaryRateLimit, serverError, type FakeGitHub } from '../../fakes/github-server';
import { TOKEN, activitiesFor, failureOf, report, runActivity, startGitHub } from './support';

// How GitHub's errors come out of the reporting activity: rate limits are retryable after
// exactly the wait GitHub's headers give; missing permissions are non-retryable and say which
// permission; outages are retryable; one failing part does not stop the others.

const now = Date.parse('2026-11-23T10:00:00Z');
const clock = { now: () => now };

describe('reportPreview failures', () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await startGitHub();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.clearRequests());

  const reportWith = () => runActivity(activitiesFor(fake, { clock }).reportPreview, report());

  it('primary rate limit: retryable, next retry at x-ratelimit-reset', async () => {
    fake.failNext({ method: 'POST', path: /\/statuses\// }, primaryRateLimit(now / 1000 + 120));
    const failure = await failureOf(reportWith());
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'GitHubRateLimited', nonRetryable: false, nextRetryDelay: 121_000 });
    expect(failure.message).toBe('GitHub primary rate limit reached while trying to set the commit status on acme/shop; retrying in 121s');
    // The other parts still ran.
    expect(fake.calls().some((c) => c.startsWith('PATCH /repos/acme/shop/issues/comments/') || c.startsWith('POST /repos/acme/shop/issues/42/comments'))).toBe(true);
  });

  it('secondary rate limit: retryable after retry-after, or a minute without it', async () => {
    fake.failNext({ path: /\/deployments$/ }, secondaryRateLimit(30, 403));
    await expect(failureOf(reportWith())).resolves.toMatchObject({ type: 'GitHubRateLimited', nextRetryDelay: 30_000 });
    fake.failNext({ path: /\/comments$/ }, secondaryRateLimit(undefined, 429));
    await expect(failureOf(reportWith())).resolves.toMatchObject({ type: 'GitHubRateLimited', nextRetryDelay: 60_000 });
  });

  it('a missing permission: non-retryable, names the permission, and the other parts are still written', async () => {
    fake.failNext({ path: /\/deployments$/ }, notAccessible('deployments/deployments#list-deployments'));
    const failure = await failureOf(reportWith());
    expect(failure).toMatchObject({ type: 'GitHubPermission', nonRetryable: true });
    expect(failure.message).toBe(
      'GitHub refused to create the deployment and its statuses on acme/shop (403): Resource not accessible by integration. ' +
        'A GitHub App needs "Deployments: Read and write"; a token needs the "repo_deployment" scope (classic) or "Deployments: Read and write" (fine-grained).',
    );
    expect(fake.calls().filter((c) => c.startsWith('POST'))[0]).toMatch(/^POST \/repos\/acme\/shop\/statuses\//);
    expect(fake.calls().some((c) => /comments/.test(c))).toBe(true);
  });

  it('404 (repository not visible to the credentials): non-retryable, with the permission', async () => {
    fake.failNext({ path: /\/statuses\// }, notFound());
    const failure = await failureOf(reportWith());
    expect(failure).toMatchObject({ type: 'GitHubPermission', nonRetryable: true });
    expect(failure.message).toContain('GitHub refused to set the commit status on acme/shop (404: not found, or not visible to these credentials): Not Found. A GitHub App needs "Commit statuses: Read and write"');
  });

  it('422: non-retryable GitHubValidation with GitHub’s field errors', async () => {
    fake.failNext({ path: /\/statuses\// }, { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Status', code: 'custom', message: 'No commit found for SHA: abc' }], documentation_url: 'https://docs.github.com/rest', status: '422' } });
    const failure = await failureOf(reportWith());
    expect(failure).toMatchObject({ type: 'GitHubValidation', nonRetryable: true });
    expect(failure.message).toContain('(422): Validation Failed (No commit found for SHA: abc)');
  });

  it('an outage is retryable with the policy’s backoff; with a permission problem elsewhere the attempt is still retried', async () => {
    fake.failNext({ path: /\/comments$/ }, serverError());
    await expect(failureOf(reportWith())).resolves.toMatchObject({ type: 'GitHubUnavailable', nonRetryable: false, nextRetryDelay: undefined });
    fake.failNext({ path: /\/comments$/ }, serverError());
    fake.failNext({ path: /\/statuses\// }, notAccessible());
    const both = await failureOf(reportWith());
    expect(both).toMatchObject({ type: 'GitHubUnavailable', nonRetryable: false });
    expect(both.message).toMatch(/^commit status: GitHub refused .* \| comment: GitHub unavailable while trying to write the pull request comment on acme\/shop \(HTTP 502\): Server Error$/);
  });

  it('a rate limit in one part and a missing permission in another: retryable after the wait', async () => {
    fake.failNext({ path: /\/statuses\// }, notAccessible());
    fake.failNext({ path: /\/comments$/ }, secondaryRateLimit(45));
    await expect(failureOf(reportWith())).resolves.toMatchObject({ type: 'GitHubRateLimited', nonRetryable: false, nextRetryDelay: 45_000 });
  });

  it('an unreachable GitHub is an outage, not a permission problem', async () => {
    const { reportPreview } = activitiesFor(fake, { apiBaseUrl: 'http://127.0.0.1:9', clock });
    const failure = await failureOf(runActivity(reportPreview, report()));
    expect(failure).toMatchObject({ type: 'GitHubUnavailable', nonRetryable: false });
  });

  it('never puts the token in a failure message, even when GitHub echoes it', async () => {
    fake.failNext({ path: /\/statuses\// }, { status: 403, body: { message: `token ${TOKEN} lacks scope`, documentation_url: 'https://docs.github.com/rest' } });
    const failure = await failureOf(reportWith());
    expect(failure.message).not.toContain(TOKEN);
    expect(failure.message).toContain('token [redacted] lacks scope');
  });

  it('wrong credentials: non-retryable, says to check them', async () => {
    const { reportPreview } = activitiesFor(fake, { clock });
    const wrong = await failureOf(runActivity(activitiesFor(fake, { clock }, 'ghp_wrong').reportPreview, report()));
    expect(wrong).toMatchObject({ type: 'GitHubPermission', nonRetryable: true });
    expect(wrong.message).toContain("GitHub rejected previewd's credentials while trying to set the commit status on acme/shop (401): Bad credentials.");
    await expect(runActivity(reportPreview, report())).resolves.toBeUndefined();
  });
});

