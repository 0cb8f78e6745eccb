import { ApplicationFailure } from '@temporalio/common';
import type { FakeGitHub } from '../../fakes/github-server';
import { activitiesFor, failureOf, runActivity, SHA_A, startGitHub, TOKEN } from './support';

// What the CI gate reads before a deploy round (readChecks): the head SHA's check runs and
// commit statuses from the REST API of the local GitHub, reduced to the names the gate waits for.

const preview = { repository: 'acme/shop', repoKey: 'shop', prNumber: 42 };

describe('readChecks against the GitHub stand-in', () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await startGitHub();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.clearRequests();
    fake.checkRuns.clear();
    fake.statuses.clear();
  });

  /** CI reports a commit status the way it does: a POST with its own token. */
  async function postStatus(context: string, state: string): Promise<void> {
    const res = await fetch(`${fake.url}/repos/acme/shop/statuses/${SHA_A}`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state, context }),
    });
    expect(res.status).toBe(201);
    fake.clearRequests();
  }

  const read = (names: string[]) => runActivity(activitiesFor(fake).readChecks, { preview, headSha: SHA_A, names });

  it("the newest run of each named check and the newest status of each named context; other names are left out", async () => {
    fake.addCheckRun('acme/shop', SHA_A, { name: 'build', status: 'completed', conclusion: 'failure' });
    fake.addCheckRun('acme/shop', SHA_A, { name: 'build', status: 'completed', conclusion: 'success' });
    fake.addCheckRun('acme/shop', SHA_A, { name: 'e2e', status: 'in_progress' });
    fake.addCheckRun('acme/shop', SHA_A, { name: 'unrelated', status: 'completed', conclusion: 'failure' });
    await postStatus('lint', 'pending');
    await postStatus('lint', 'success');
    await postStatus('other', 'failure');

    const reading = await read(['build', 'e2e', 'lint']);
    expect(reading.headSha).toBe(SHA_A);
    expect(reading.checkRuns.map((r) => [r.name, r.status, r.conclusion]).sort()).toEqual([
      ['build', 'completed', 'success'],
      ['e2e', 'in_progress', null],
    ]);
    expect(reading.statuses).toEqual([{ context: 'lint', state: 'success' }]);
    expect(fake.calls()).toEqual([`GET /repos/acme/shop/commits/${SHA_A}/check-runs?filter=latest&per_page=100`, `GET /repos/acme/shop/commits/${SHA_A}/status?per_page=100`]);
  });

  it('nothing reported yet reads as no runs and no statuses', async () => {
    await expect(read(['build'])).resolves.toEqual({ headSha: SHA_A, checkRuns: [], statuses: [] });
  });

  it('credentials that may not read checks are a non-retryable permission failure naming what to grant', async () => {
    fake.failNext({ method: 'GET', path: /\/check-runs$/ }, { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' } });
    const failure = await failureOf(read(['build']));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'GitHubPermission', nonRetryable: true });
    expect(failure.message).toMatch(/Checks/);
  });
});
