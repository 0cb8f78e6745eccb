import { ApplicationFailure } from '@temporalio/common';
import { serverError, type FakeGitHub } from '../../fakes/github-server';
import { pullRequestEvent } from '../ingress/github-examples';
import { activitiesFor, failureOf, runActivity, SHA_A, SHA_B, startGitHub } from './support';

// The confirmation the workflow asks for before it provisions or deploys (readPullRequest):
// the PR as GitHub's REST API answers now, read from the local GitHub, which serves the
// `pull_request` object of the published webhook examples.

const preview = { repository: 'acme/shop', repoKey: 'shop', prNumber: 42 };
const target = { repository: preview.repository, number: preview.prNumber };

describe('readPullRequest against the GitHub stand-in', () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await startGitHub();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.clearRequests();
    fake.pullRequests.clear();
  });

  const read = () => runActivity(activitiesFor(fake).readPullRequest, { preview });

  it('an open PR: state, draft, labels, head and the stamp, from one GET of the pull request', async () => {
    const { pull_request: pr } = pullRequestEvent('opened', target, { headSha: SHA_A, labels: ['preview', 'bug'] });
    fake.setPullRequest(preview.repository, pr);
    await expect(read()).resolves.toEqual({ configured: true, state: 'open', draft: false, labels: ['preview', 'bug'], headSha: SHA_A, updatedAt: pr.updated_at });
    expect(fake.calls()).toEqual(['GET /repos/acme/shop/pulls/42']);
  });

  it('a closed PR and a draft read as such', async () => {
    fake.setPullRequest(preview.repository, pullRequestEvent('closed', target, { headSha: SHA_B, state: 'closed' }).pull_request);
    await expect(read()).resolves.toMatchObject({ state: 'closed', headSha: SHA_B });
    fake.setPullRequest(preview.repository, pullRequestEvent('converted_to_draft', target, { draft: true }).pull_request);
    await expect(read()).resolves.toMatchObject({ state: 'open', draft: true });
  });

  it('a PR these credentials cannot see is a non-retryable permission failure naming the repository', async () => {
    const failure = await failureOf(read());
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'GitHubPermission', nonRetryable: true });
    expect(failure.message).toContain('acme/shop');
  });

  it('an outage is retryable', async () => {
    fake.setPullRequest(preview.repository, pullRequestEvent('opened', target).pull_request);
    fake.failNext({ method: 'GET', path: /\/pulls\/42$/ }, serverError());
    const failure = await failureOf(read());
    expect(failure).toMatchObject({ nonRetryable: false });
  });
});
