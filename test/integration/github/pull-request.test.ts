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

  it('with `since`: the newest /preview destroy a member wrote since then, read from the comments GitHub lists since then', async () => {
    const { pull_request: pr } = pullRequestEvent('opened', target, { headSha: SHA_A, labels: ['preview'] });
    fake.setPullRequest(preview.repository, pr);
    fake.comments.clear();
    fake.addComment(preview.repository, preview.prNumber, '/preview destroy', 'before', { at: '2026-11-23T09:00:00Z' });
    fake.addComment(preview.repository, preview.prNumber, '/preview destroy', 'drive-by', { at: '2026-11-23T11:00:00Z', association: 'NONE' });
    fake.addComment(preview.repository, preview.prNumber, '/preview destroy\nno longer needed', 'maintainer', { at: '2026-11-23T11:30:00Z' });
    fake.addComment(preview.repository, preview.prNumber, 'please /preview destroy this', 'chatty', { at: '2026-11-23T12:00:00Z' });
    const reading = await runActivity(activitiesFor(fake).readPullRequest, { preview, since: '2026-11-23T10:00:00Z' });
    expect(reading).toMatchObject({ configured: true, headSha: SHA_A, destroyCommand: { at: '2026-11-23T11:30:00Z', by: 'maintainer' } });
    expect(fake.calls()).toEqual(['GET /repos/acme/shop/pulls/42', 'GET /repos/acme/shop/issues/42/comments?since=2026-11-23T10%3A00%3A00Z&per_page=100']);
    // Nothing since a later stamp: no command.
    await expect(runActivity(activitiesFor(fake).readPullRequest, { preview, since: '2026-11-23T11:31:00Z' })).resolves.not.toHaveProperty('destroyCommand');
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
