import type { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createAiActivities } from '../../../activities/ai';
import { createCostActivities } from '../../../activities/cost';
import { createGitHubActivities } from '../../../activities/github';
import { repositoryConfigSchema } from '../../../src/config';
import { previewEnvironmentName, stickyCommentMarker } from '../../../src/github';
import { PreviewActivityDoubles } from '../../doubles';
import { FakeGitHub, notAccessible, primaryRateLimit } from '../../fakes/github-server';
import { FakeOpenAi, jsonAnswer } from '../../fakes/openai-server';
import { devServerClient, uniqueId } from '../../harness';
import { phaseIs, prEvent, quietLogger, quietTemporalLogs, sha, startPreview, untilStatus, type PreviewHandle } from '../../workflows/support';
import { type PreviewActivities, prEventSignal } from '../../../workflows/contract';

// The real lifecycle workflow on the dev server, with this activities (GitHub reporting,
// service choice with a model, cost) against the local GitHub and OpenAI servers, and the
// Kubernetes steps from the shared activity doubles. What a PR shows over a preview's life:
// the commit status, the deployment status transitions, and one sticky comment.

const TOKEN = 'ghp_wiringTestToken00000000000000000000';
const GiB = 2 ** 30;
const PR = 7;

const source = (name: string) => ({ repoURL: 'https://git.example.test/gitops.git', path: `apps/${name}`, image: `registry.example.test/shop/${name}` });

function config(fullName: string) {
  return repositoryConfigSchema.parse({
    fullName,
    key: 'shop',
    scope: 'affected',
    services: [
      { name: 'db', phase: 610, paths: ['db/**'], source: source('db') },
      { name: 'web', phase: 650, paths: ['web/**'], dependsOn: ['db'], expose: { port: 8080 }, source: source('web') },
      { name: 'worker', phase: 640, paths: ['worker/**'], source: source('worker') },
    ],
  });
}

/** Polls the local servers' state (no fixed sleeps). */
async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Consecutive duplicates removed: the transitions, not every refresh of the description. */
const transitions = (states: readonly string[]) => states.filter((s, i) => s !== states[i - 1]);

describe('lifecycle workflow reporting to GitHub (dev server)', () => {
  let bundle: WorkflowBundle;
  let github: FakeGitHub;
  let openai: FakeOpenAi;
  let client: Client;
  let connection: Connection;
  let native: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueId('github-wiring');

  beforeAll(async () => {
    quietTemporalLogs();
    [bundle, github, openai] = await Promise.all([
      bundleWorkflowCode({ workflowsPath: require.resolve('../../../workflows'), logger: quietLogger }),
      FakeGitHub.start({ tokens: [TOKEN] }),
      FakeOpenAi.start(),
    ]);
    let namespace: string;
    ({ client, connection, namespace } = await devServerClient());
    native = await NativeConnection.connect({ address: connection.options.address });
    const gh = createGitHubActivities({ auth: { type: 'token', token: TOKEN }, apiBaseUrl: github.url, budget: { perPreview: 0.25, onExceed: 'warn' } });
    const ai = createAiActivities({ listChangedFiles: gh.listChangedFiles, ai: { baseURL: openai.baseURL, apiKey: 'sk-wiring-test-key-0000', model: 'gpt-4o-mini', timeoutMs: 5_000 } });
    const cost = createCostActivities({ readWorkloads: ({ preview }) => Promise.resolve({ namespace: `pr-${preview.repoKey}-${preview.prNumber}`, totals: { cpuCores: 2, memoryBytes: 4 * GiB, storageBytes: 73 * GiB } }) });
    const activities: PreviewActivities = {
      ...new PreviewActivityDoubles().activities(),
      chooseServices: ai.chooseServices,
      computeCost: cost.computeCost,
      reportPreview: gh.reportPreview,
    };
    worker = await Worker.create({ connection: native, namespace, taskQueue, workflowBundle: bundle, activities });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await native?.close();
    await connection?.close();
    await Promise.all([github?.close(), openai?.close()]);
  });

  it('reports a preview from open to close: commit status, deployment transitions, one sticky comment, AI answer in history', async () => {
    const repository = `acme/${uniqueId('shop')}`;
    const preview = { repository, prNumber: PR };
    const environment = previewEnvironmentName(preview);
    github.setPullFiles(repository, PR, [{ filename: 'web/src/app.tsx', additions: 12, deletions: 2 }]);
    // One answer per deploy round (two heads).
    openai.reply(jsonAnswer({ services: ['worker'], rationale: 'the web change enqueues a new job type' }), jsonAnswer({ services: ['worker'], rationale: 'still the job type' }));
    // The first commit status hits the primary rate limit, resetting 5 s from now.
    const resetAt = Math.ceil(Date.now() / 1000) + 5;
    github.failNext({ method: 'POST', path: new RegExp(`^/repos/${repository}/statuses/`) }, primaryRateLimit(resetAt));

    const handle: PreviewHandle = await startPreview(client, taskQueue, { repository, number: PR, config: config(repository) });
    const ready = await untilStatus(handle, phaseIs('Ready'), 'Ready');
    // Static choice (web + its db) plus the model's addition (worker).
    expect(ready.services.map((s) => s.name).sort()).toEqual(['db', 'web', 'worker']);
    expect(ready.cost).toMatchObject({ perHour: 0.11, currency: 'USD' });

    const successFor = (headSha: string) => github.statuses.get(headSha)?.find((s) => s.state === 'success');
    await until(() => successFor(sha(1)) && github.commentsOf(repository, PR)[0]?.body?.includes('Preview ready'), 'Ready on GitHub');
    // The rate-limited status was retried no sooner than GitHub's reset (the policy's own first retry is 2 s).
    const statusPosts = github.requests.filter((r) => r.method === 'POST' && r.path === `/repos/${repository}/statuses/${sha(1)}`);
    expect((statusPosts[1]?.at ?? 0) - (statusPosts[0]?.at ?? 0)).toBeGreaterThanOrEqual(resetAt * 1000 - (statusPosts[0]?.at ?? 0) - 50);
    expect(successFor(sha(1))).toMatchObject({ context: 'previewd', target_url: `https://web-pr-${PR}.preview.example.test` });

    // A push: a new deployment for the new head; the first one goes inactive.
    await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(2) }));
    await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(2), 'Ready at the pushed head');
    await until(() => successFor(sha(2)), 'the pushed head reported Ready');

    await handle.signal(prEventSignal, prEvent('closed'));
    await expect(handle.result()).resolves.toMatchObject({ phase: 'Destroyed', reason: 'pull request closed' });

    // Deployments: one per head, transient and not production, in_progress → success → inactive.
    const deployments = github.deploymentsIn(environment);
    expect(deployments.map((d) => [d.sha, d.transient_environment, d.production_environment])).toEqual([
      [sha(2), true, false],
      [sha(1), true, false],
    ]);
    const [second, first] = deployments;
    expect(transitions(github.statusHistory(first?.id ?? 0))).toEqual(['in_progress', 'success', 'inactive']);
    // The report right after the push names the new head while the old one is still serving:
    // the new head's deployment never shows `success` before it is deployed.
    expect(transitions(github.statusHistory(second?.id ?? 0))).toEqual(['in_progress', 'success', 'inactive']);
    const lastInactive = github.deploymentStatuses.get(deployments[0]?.id ?? 0)?.[0];
    expect(lastInactive).toMatchObject({ state: 'inactive', environment_url: `https://web-pr-${PR}.preview.example.test` });

    // Commit statuses: only the `previewd` context; the last one says the preview is gone.
    expect(new Set([...(github.statuses.get(sha(1)) ?? []), ...(github.statuses.get(sha(2)) ?? [])].map((s) => s.context))).toEqual(new Set(['previewd']));
    expect(github.statuses.get(sha(2))?.[0]).toMatchObject({ state: 'success', description: 'Preview removed: pull request closed' });

    // One sticky comment, created once and edited in place, ending with the removal.
    const comments = github.commentsOf(repository, PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body?.startsWith(stickyCommentMarker(preview))).toBe(true);
    expect(comments[0]?.body).toContain('### 🗑️ Preview removed');
    expect(github.requests.filter((r) => r.method === 'POST' && r.path === `/repos/${repository}/issues/${PR}/comments`)).toHaveLength(1);
    expect(github.requests.filter((r) => r.method === 'PATCH').length).toBeGreaterThan(1);

    // The model was asked once per deploy round, and its answers are in history.
    expect(openai.requests).toHaveLength(2);
    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'chooseServices').map((e) => Number(e.eventId));
    const results = (history.events ?? [])
      .filter((e) => scheduled.includes(Number(e.activityTaskCompletedEventAttributes?.scheduledEventId)))
      .map((e) => JSON.parse(Buffer.from(e.activityTaskCompletedEventAttributes?.result?.payloads?.[0]?.data ?? []).toString()) as unknown);
    expect(results).toEqual([
      expect.objectContaining({ source: 'ai', services: ['db', 'worker', 'web'], ai: expect.objectContaining({ suggested: ['worker'], rationale: 'the web change enqueues a new job type' }) }),
      expect.objectContaining({ source: 'ai', ai: expect.objectContaining({ rationale: 'still the job type' }) }),
    ]);
    // Replaying the recorded history runs no activity: the model is not asked again.
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, handle.workflowId);
    expect(openai.requests).toHaveLength(2);
  });

  it('a missing GitHub permission blocks neither deploy nor teardown; the other parts are still reported', async () => {
    const repository = `acme/${uniqueId('noperm')}`;
    github.setPullFiles(repository, PR, [{ filename: 'web/index.html' }]);
    github.failNext({ path: new RegExp(`^/repos/${repository}/deployments`) }, notAccessible('deployments/deployments#create-a-deployment'), Number.POSITIVE_INFINITY);

    const handle = await startPreview(client, taskQueue, { repository, number: PR, config: config(repository) });
    const ready = await untilStatus(handle, (s) => s.phase === 'Ready' && s.lastError?.step === 'reportPreview', 'Ready with the report failure recorded');
    expect(ready.lastError).toMatchObject({ type: 'GitHubPermission', message: expect.stringContaining('"Deployments: Read and write"') });

    await handle.signal(prEventSignal, prEvent('closed'));
    await expect(handle.result()).resolves.toMatchObject({ phase: 'Destroyed' });
    expect(github.deploymentsIn(previewEnvironmentName({ repository, prNumber: PR }))).toHaveLength(0);
    expect(github.commentsOf(repository, PR).map((c) => c.body?.split('\n')[1])).toEqual(['### 🗑️ Preview removed']);
    expect(github.statuses.get(sha(1))?.[0]?.description).toBe('Preview removed: pull request closed');
  });
});
