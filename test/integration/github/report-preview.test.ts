import { renderPreviewComment, stickyCommentMarker } from '../../../src/github';
import type { FakeGitHub } from '../../fakes/github-server';
import { ENVIRONMENT, SHA_A, SHA_B, activitiesFor, deploying, exchanges, report, runActivity, startGitHub } from './support';

// One preview's reports, in order, against the local GitHub: the exact requests of each, the
// deployment status transitions, and the one sticky comment edited in place.

const listDeployments = ['GET', '/repos/acme/shop/deployments', { environment: ENVIRONMENT, task: 'deploy:preview', per_page: '100' }, undefined] as const;
const latestStatus = (id: number) => ['GET', `/repos/acme/shop/deployments/${id}/statuses`, { per_page: '1' }, undefined] as const;
const listComments = ['GET', '/repos/acme/shop/issues/42/comments', { per_page: '100' }, undefined] as const;

describe('reportPreview', () => {
  let fake: FakeGitHub;
  let send: (r: Parameters<ReturnType<typeof activitiesFor>['reportPreview']>[0]) => Promise<void>;
  let human: number;

  beforeAll(async () => {
    fake = await startGitHub();
    const { reportPreview } = activitiesFor(fake);
    send = (r) => runActivity(reportPreview, r);
    human = fake.addComment('acme/shop', 42, 'Looks good, can I see a preview?').id;
    // A person quoting an old previewd comment: never taken for the sticky one.
    fake.addComment('acme/shop', 42, `> ${stickyCommentMarker({ repository: 'acme/shop', prNumber: 42 })}\n> Preview ready`);
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.clearRequests());

  let deploymentA: number;
  let commentId: number;

  it('first report: pending commit status, a new transient deployment in progress, a new comment', async () => {
    await send(deploying());
    deploymentA = fake.deploymentsIn(ENVIRONMENT)[0]?.id as number;
    const comments = fake.commentsOf('acme/shop', 42);
    commentId = comments[2]?.id as number;
    expect(exchanges(fake)).toEqual([
      ['POST', `/repos/acme/shop/statuses/${SHA_A}`, {}, { state: 'pending', context: 'previewd', description: 'Deploying the preview (0/2 services ready)' }],
      listDeployments,
      [
        'POST',
        '/repos/acme/shop/deployments',
        {},
        {
          ref: SHA_A,
          task: 'deploy:preview',
          environment: ENVIRONMENT,
          description: 'Deploying the preview (0/2 services ready)',
          auto_merge: false,
          required_contexts: [],
          transient_environment: true,
          production_environment: false,
          payload: { workflowId: 'preview:acme/shop#42', namespace: 'pr-shop-42' },
        },
      ],
      latestStatus(deploymentA),
      ['POST', `/repos/acme/shop/deployments/${deploymentA}/statuses`, {}, { state: 'in_progress', description: 'Deploying the preview (0/2 services ready)', auto_inactive: false }],
      listComments,
      ['POST', '/repos/acme/shop/issues/42/comments', {}, { body: renderPreviewComment(deploying()) }],
    ]);
    expect(comments).toHaveLength(3);
    expect(comments[2]?.body?.startsWith(stickyCommentMarker({ repository: 'acme/shop', prNumber: 42 }))).toBe(true);
  });

  it('ready: success everywhere, the deployment gets the URL, the same comment is edited', async () => {
    await send(report());
    expect(exchanges(fake)).toEqual([
      ['POST', `/repos/acme/shop/statuses/${SHA_A}`, {}, { state: 'success', context: 'previewd', description: 'Preview ready (2 services, $0.1125/h)', target_url: 'https://www-pr-42.dev.example.com' }],
      listDeployments,
      latestStatus(deploymentA),
      [
        'POST',
        `/repos/acme/shop/deployments/${deploymentA}/statuses`,
        {},
        { state: 'success', description: 'Preview ready (2 services, $0.1125/h)', auto_inactive: false, environment_url: 'https://www-pr-42.dev.example.com' },
      ],
      listComments,
      ['PATCH', `/repos/acme/shop/issues/comments/${commentId}`, {}, { body: renderPreviewComment(report()) }],
    ]);
  });

  it('a retried report writes no second deployment status and leaves the comment alone', async () => {
    await send(report());
    expect(fake.calls()).toEqual([
      `POST /repos/acme/shop/statuses/${SHA_A}`,
      'GET /repos/acme/shop/deployments?environment=preview%2Fshop%2Fpr-42&task=deploy%3Apreview&per_page=100',
      `GET /repos/acme/shop/deployments/${deploymentA}/statuses?per_page=1`,
      'GET /repos/acme/shop/issues/42/comments?per_page=100',
    ]);
  });

  it('a new head SHA: a new deployment, the older one inactive', async () => {
    await send(deploying({ headSha: SHA_B }));
    const deploymentB = fake.deploymentsIn(ENVIRONMENT)[0]?.id as number;
    expect(deploymentB).not.toBe(deploymentA);
    expect(exchanges(fake).map(([m, p, , b]) => [m, p, (b as { state?: string } | undefined)?.state])).toEqual([
      ['POST', `/repos/acme/shop/statuses/${SHA_B}`, 'pending'],
      ['GET', '/repos/acme/shop/deployments', undefined],
      ['POST', '/repos/acme/shop/deployments', undefined],
      ['GET', `/repos/acme/shop/deployments/${deploymentA}/statuses`, undefined],
      ['POST', `/repos/acme/shop/deployments/${deploymentA}/statuses`, 'inactive'],
      ['GET', `/repos/acme/shop/deployments/${deploymentB}/statuses`, undefined],
      ['POST', `/repos/acme/shop/deployments/${deploymentB}/statuses`, 'in_progress'],
      ['GET', '/repos/acme/shop/issues/42/comments', undefined],
      ['PATCH', `/repos/acme/shop/issues/comments/${commentId}`, undefined],
    ]);
    expect(fake.requests[4]?.body).toEqual({ state: 'inactive', description: 'Superseded by a newer commit', auto_inactive: false });
  });

  it('final report: every deployment inactive with the environment URL, the comment says the preview is gone', async () => {
    const final = report({ headSha: SHA_B, phase: 'Destroyed', reason: 'pull request closed', final: true });
    await send(final);
    const [deploymentB] = fake.deploymentsIn(ENVIRONMENT);
    expect(fake.requests[0]?.body).toEqual({ state: 'success', context: 'previewd', description: 'Preview removed: pull request closed' });
    expect(fake.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/${deploymentB?.id}/statuses`))?.body).toEqual({
      state: 'inactive',
      description: 'Preview removed: pull request closed',
      auto_inactive: false,
      environment_url: 'https://www-pr-42.dev.example.com',
    });
    // A was inactive already: the walk stops there.
    expect(fake.calls().filter((c) => c.includes(`/deployments/${deploymentA}/`))).toEqual([`GET /repos/acme/shop/deployments/${deploymentA}/statuses?per_page=1`]);

    expect(fake.statusHistory(deploymentA)).toEqual(['in_progress', 'success', 'inactive']);
    expect(fake.statusHistory(deploymentB?.id as number)).toEqual(['in_progress', 'inactive']);
    expect(fake.deploymentsIn(ENVIRONMENT).map((d) => [d.sha, d.transient_environment, d.production_environment])).toEqual([
      [SHA_B, true, false],
      [SHA_A, true, false],
    ]);
    const comments = fake.commentsOf('acme/shop', 42);
    expect(comments.map((c) => c.id)).toEqual([human, expect.any(Number), commentId]);
    expect(comments[2]?.body).toBe(renderPreviewComment(final));
    expect(fake.statuses.get(SHA_A)?.map((s) => s.state)).toEqual(['success', 'success', 'pending']);
  });
});

describe('sticky comment lookup', () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await startGitHub();
  });
  afterAll(() => fake.close());

  it('follows Link pagination to find the comment on a long PR, and recreates it if someone deleted it', async () => {
    const { reportPreview } = activitiesFor(fake);
    for (let i = 0; i < 120; i++) fake.addComment('acme/shop', 42, `comment ${i}`);
    await runActivity(reportPreview, deploying());
    fake.clearRequests();
    await runActivity(reportPreview, report());
    expect(fake.calls().filter((c) => c.includes('/comments'))).toEqual([
      'GET /repos/acme/shop/issues/42/comments?per_page=100',
      'GET /repos/acme/shop/issues/42/comments?per_page=100&page=2',
      `PATCH /repos/acme/shop/issues/comments/${fake.commentsOf('acme/shop', 42)[120]?.id}`,
    ]);

    fake.commentsOf('acme/shop', 42).splice(120, 1);
    await runActivity(reportPreview, report({ phase: 'Degraded' }));
    const stickies = fake.commentsOf('acme/shop', 42).filter((c) => c.body?.startsWith('<!-- previewd:sticky-comment'));
    expect(stickies).toHaveLength(1);
    expect(stickies[0]?.body).toContain('### ⚠️ Preview degraded');
  });
});
