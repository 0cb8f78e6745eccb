import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { buildIngress, WEBHOOK_PATH } from '../../../src/ingress';
import { createWorker, type PreviewdWorker } from '../../../src/worker';
import { PreviewActivityDoubles } from '../../doubles';
import { harnessState, uniqueId } from '../../harness';
import { commentEvent, pullRequestEvent, signedDelivery, type PrTarget } from './github-examples';
import { deliver, eventually, expectNoWorkflow, memoryLogger, nextTarget, repositoryEntry, SECRET, testConfig, testRepository, workflowIdOf } from './support';
import { type PreviewOutcome, type PreviewStatus, PreviewRepository, statusQuery } from '../../../workflows/contract';
import { guardedInterceptors } from '../../../src/temporal-client';

// Each pull_request action and PR comment command, delivered as a signed published example to
// the real ingress, reaches the real lifecycle workflow on the dev server (activities are
// doubles) and leaves the state the status query shows. Refused events start nothing.

const HOUR = 3_600_000;
const sha = (c: string): string => c.repeat(40).slice(0, 40);

const labelRepo = testRepository('ingress-label');
const openRepo = testRepository('ingress-open');

let connection: Connection;
let nativeConnection: NativeConnection;
let client: Client;
let worker: PreviewdWorker;
let app: FastifyInstance;
const doubles = new PreviewActivityDoubles();
const log = memoryLogger();

beforeAll(async () => {
  const { temporal } = harnessState();
  const taskQueue = uniqueId('ingress-routing');
  const config = testConfig({
    temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue },
    repositories: [
      // Label mode, no drafts, no forks: the defaults.
      repositoryEntry(labelRepo, 'lbl'),
      repositoryEntry(openRepo, 'opn', { mode: 'always', drafts: true, forks: true }),
    ],
  });
  const workflowBundle: WorkflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../../workflows'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } });
  nativeConnection = await NativeConnection.connect({ address: temporal.address });
  worker = await createWorker({ config, connection: nativeConnection, workflowBundle, activities: doubles.activities() });
  connection = await Connection.connect({ address: temporal.address, interceptors: guardedInterceptors() });
  client = new Client({ connection, namespace: temporal.namespace });
  app = await buildIngress({ config, client, logger: log.logger });
});

afterAll(async () => {
  await app?.close();
  await worker?.stop();
  await nativeConnection?.close();
  await connection?.close();
});

function handleOf(target: PrTarget): WorkflowHandle {
  return client.workflow.getHandle(workflowIdOf(target));
}

async function untilStatus(target: PrTarget, accept: (s: PreviewStatus) => boolean, what: string): Promise<PreviewStatus> {
  let last: PreviewStatus | undefined;
  try {
    return await eventually(async () => {
      last = await handleOf(target).query(statusQuery);
      return accept(last) ? last : undefined;
    }, what);
  } catch (err) {
    throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last)}`);
  }
}

function expectAccepted(res: { statusCode: number; json: () => unknown }, target: PrTarget): void {
  expect(res.statusCode).toBe(202);
  expect(res.json()).toMatchObject({ result: 'accepted', workflowId: workflowIdOf(target) });
}

/** Opens a preview of `target` in the label-mode repository and waits until it is Ready. */
async function openReadyPreview(target: PrTarget, headSha = sha('a')): Promise<PreviewStatus> {
  expectAccepted(await deliver(app, 'pull_request', pullRequestEvent('opened', target, { headSha, labels: ['preview'] })), target);
  return untilStatus(target, (s) => s.phase === 'Ready' && s.deployedHeadSha === headSha, 'Ready');
}

async function outcomeOf(target: PrTarget): Promise<PreviewOutcome> {
  return (await handleOf(target).result()) as PreviewOutcome;
}

describe('pull_request', () => {
  test('opened with the trigger label starts the preview, which becomes Ready for the head SHA', async () => {
    const target = nextTarget(labelRepo);
    const status = await openReadyPreview(target, sha('1'));
    expect(status).toMatchObject({ repository: labelRepo, prNumber: target.number, desiredHeadSha: sha('1'), namespace: `pr-lbl-${target.number}` });
    expect(status.labels).toEqual(['preview']);
    // The ingress set the search attributes at start: the run is findable by repository and PR.
    const description = await handleOf(target).describe();
    expect(description.typedSearchAttributes.get(PreviewRepository)).toBe(labelRepo);
  });

  test('synchronize deploys the new head; a redelivery of the same delivery id changes nothing', async () => {
    const target = nextTarget(labelRepo);
    await openReadyPreview(target);
    const push = await signedDelivery('pull_request', pullRequestEvent('synchronize', target, { headSha: sha('b'), labels: ['preview'] }), SECRET);
    const first = await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers: push.headers, payload: push.body });
    expectAccepted(first, target);
    const after = await untilStatus(target, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha('b'), 'Ready at the new head');
    // GitHub's "redeliver" sends the same body and delivery id: accepted, and ignored by the workflow.
    const again = await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers: push.headers, payload: push.body });
    expectAccepted(again, target);
    const final = await untilStatus(target, (s) => s.recentEvents.some((e) => e.kind === 'duplicate'), 'the duplicate recorded');
    expect(final.eventsHandled).toBe(after.eventsHandled);
    expect(doubles.for(workflowIdOf(target)).callsOf('deployApps').map((c) => (c.input as { headSha: string }).headSha)).toEqual([sha('a'), sha('b')]);
  });

  test('labeled with a non-trigger label only signals: the TTL label gives the running preview 24 h', async () => {
    const target = nextTarget(labelRepo);
    await openReadyPreview(target);
    const res = await deliver(app, 'pull_request', pullRequestEvent('labeled', target, { label: 'preview/do-not-expire', labels: ['preview', 'preview/do-not-expire'] }));
    expectAccepted(res, target);
    const status = await untilStatus(target, (s) => s.extendedTtl, 'the extended TTL');
    expect(status.idleTtl).toBe('1d');
  });

  test('labeled with the trigger label creates the preview of a PR that had none', async () => {
    const target = nextTarget(labelRepo);
    const res = await deliver(app, 'pull_request', pullRequestEvent('labeled', target, { label: 'preview', labels: ['preview'], headSha: sha('c') }));
    expectAccepted(res, target);
    await untilStatus(target, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha('c'), 'Ready');
  });

  test('ready_for_review creates the preview; converted_to_draft is delivered to it without tearing it down', async () => {
    const target = nextTarget(labelRepo);
    expectAccepted(await deliver(app, 'pull_request', pullRequestEvent('ready_for_review', target, { labels: ['preview'], headSha: sha('d') })), target);
    await untilStatus(target, (s) => s.phase === 'Ready', 'Ready');
    expectAccepted(await deliver(app, 'pull_request', pullRequestEvent('converted_to_draft', target, { labels: ['preview'], headSha: sha('d') })), target);
    const status = await untilStatus(target, (s) => s.recentEvents.some((e) => e.kind === 'pr-converted_to_draft'), 'converted_to_draft recorded');
    expect(status.phase).toBe('Ready');
  });

  test('unlabeled (trigger label removed) tears the preview down', async () => {
    const target = nextTarget(labelRepo);
    await openReadyPreview(target);
    expectAccepted(await deliver(app, 'pull_request', pullRequestEvent('unlabeled', target, { label: 'preview', labels: [] })), target);
    const outcome = await outcomeOf(target);
    expect(outcome.phase).toBe('Destroyed');
    expect(outcome.reason).toContain('trigger label');
  });

  test('closed tears the preview down; reopened starts a new run', async () => {
    const target = nextTarget(labelRepo);
    await openReadyPreview(target);
    const firstRun = (await handleOf(target).describe()).runId;
    expectAccepted(await deliver(app, 'pull_request', pullRequestEvent('closed', target, { labels: ['preview'], state: 'closed' })), target);
    expect((await outcomeOf(target)).reason).toBe('pull request closed');
    expectAccepted(await deliver(app, 'pull_request', pullRequestEvent('reopened', target, { labels: ['preview'], headSha: sha('e') })), target);
    await untilStatus(target, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha('e'), 'Ready again');
    expect((await handleOf(target).describe()).runId).not.toBe(firstRun);
  });

  test.each(['closed', 'unlabeled', 'converted_to_draft'] as const)('%s for a PR without a preview: 202 ignored, nothing started', async (action) => {
    const target = nextTarget(labelRepo);
    const res = await deliver(app, 'pull_request', pullRequestEvent(action, target, { labels: ['preview'], label: 'preview' }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ result: 'ignored', reason: expect.stringContaining('no preview is running for this pull request') });
    await expectNoWorkflow(client, workflowIdOf(target));
  });

  test.each([
    ['no trigger label', { labels: [] }, 'lacks the trigger label'],
    ['a draft', { labels: ['preview'], draft: true }, 'draft'],
    ['from a fork', { labels: ['preview'], fromFork: 'mallory/fork' }, 'forks'],
  ] as const)('opened %s (policy refuses): 202 ignored, nothing started', async (_name, changes, reason) => {
    const target = nextTarget(labelRepo);
    const res = await deliver(app, 'pull_request', pullRequestEvent('opened', target, changes));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ result: 'ignored', reason: expect.stringContaining(reason) });
    await expectNoWorkflow(client, workflowIdOf(target));
  });

  test('a repository that allows drafts and forks in always mode gets their previews', async () => {
    const fork = nextTarget(openRepo);
    expectAccepted(await deliver(app, 'pull_request', pullRequestEvent('opened', fork, { labels: [], fromFork: 'mallory/fork' })), fork);
    const draft = nextTarget(openRepo);
    expectAccepted(await deliver(app, 'pull_request', pullRequestEvent('opened', draft, { labels: [], draft: true })), draft);
    await untilStatus(fork, (s) => s.phase === 'Ready', 'fork preview Ready');
    await untilStatus(draft, (s) => s.phase === 'Ready', 'draft preview Ready');
  });

  test('actions that do not concern previews (assigned, edited, …) are ignored', async () => {
    const target = nextTarget(labelRepo);
    const res = await deliver(app, 'pull_request', pullRequestEvent('assigned', target, { labels: ['preview'] }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ result: 'ignored' });
    await expectNoWorkflow(client, workflowIdOf(target));
  });
});

describe('issue_comment commands', () => {
  test('/preview extend 4h moves the expiry 4 h on', async () => {
    const target = nextTarget(labelRepo);
    const before = await openReadyPreview(target);
    expectAccepted(await deliver(app, 'issue_comment', commentEvent(target, { body: '/preview extend 4h', association: 'MEMBER' })), target);
    const after = await untilStatus(target, (s) => s.recentEvents.some((e) => e.kind === 'extended'), 'the extension');
    expect(Date.parse(after.expiresAt) - Date.parse(before.expiresAt)).toBe(4 * HOUR);
  });

  test('/preview redeploy deploys the same head again', async () => {
    const target = nextTarget(labelRepo);
    await openReadyPreview(target);
    expectAccepted(await deliver(app, 'issue_comment', commentEvent(target, { body: '/preview redeploy\n\nflaky pod', association: 'COLLABORATOR' })), target);
    await doubles.for(workflowIdOf(target)).waitForCalls('deployApps', 2);
    const status = await untilStatus(target, (s) => s.phase === 'Ready' && s.recentEvents.some((e) => e.kind === 'redeploy-requested'), 'Ready after the redeploy');
    expect(status.recentEvents.find((e) => e.kind === 'redeploy-requested')?.detail).toContain('/preview redeploy by @');
  });

  test('/preview destroy tears the preview down', async () => {
    const target = nextTarget(labelRepo);
    await openReadyPreview(target);
    expectAccepted(await deliver(app, 'issue_comment', commentEvent(target, { body: '/preview destroy', association: 'OWNER' })), target);
    const outcome = await outcomeOf(target);
    expect(outcome).toMatchObject({ phase: 'Destroyed' });
    expect(outcome.reason).toContain('/preview destroy by @');
  });

  test('a command on a PR without a preview is ignored and starts nothing', async () => {
    const target = nextTarget(labelRepo);
    const res = await deliver(app, 'issue_comment', commentEvent(target, { body: '/preview extend 4h' }));
    expect(res.json()).toMatchObject({ result: 'ignored', reason: expect.stringContaining('no preview is running for this pull request') });
    await expectNoWorkflow(client, workflowIdOf(target));
  });

  test.each([
    ['a CONTRIBUTOR', { body: '/preview destroy', association: 'CONTRIBUTOR' as const }],
    ['NONE (a drive-by commenter)', { body: '/preview destroy', association: 'NONE' as const }],
    ['a comment on an issue', { body: '/preview destroy', onPullRequest: false }],
    ['prose', { body: 'LGTM, but /preview destroy once merged' }],
    ['an unreadable duration', { body: '/preview extend forever' }],
  ])('%s changes nothing', async (_name, changes) => {
    const target = nextTarget(labelRepo);
    const before = await openReadyPreview(target);
    const res = await deliver(app, 'issue_comment', commentEvent(target, changes));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ result: 'ignored' });
    const after = await handleOf(target).query(statusQuery);
    expect(after).toMatchObject({ phase: 'Ready', eventsHandled: before.eventsHandled, expiresAt: before.expiresAt });
  });

  test('a refused command is logged with who tried it', async () => {
    const target = nextTarget(labelRepo);
    await deliver(app, 'issue_comment', commentEvent(target, { body: '/preview destroy', association: 'FIRST_TIME_CONTRIBUTOR' }));
    const refusal = log.lines().split('\n').find((line) => line.includes('preview command refused') && line.includes('FIRST_TIME_CONTRIBUTOR'));
    expect(refusal).toBeDefined();
  });
});

test('over real HTTP, a signed delivery is accepted once Temporal has it', async () => {
  const { temporal } = harnessState();
  const config = testConfig({ temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue: uniqueId('ingress-http') }, repositories: [repositoryEntry(labelRepo, 'lbl')] });
  const server = await buildIngress({ config, client, logger: memoryLogger().logger });
  try {
    const address = await server.listen({ host: '127.0.0.1', port: 0 });
    const target = nextTarget(labelRepo);
    const delivery = await signedDelivery('pull_request', pullRequestEvent('opened', target, { labels: ['preview'] }), SECRET);
    const res = await fetch(`${address}${WEBHOOK_PATH}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ result: 'accepted', workflowId: workflowIdOf(target) });
    // Durable before the reply: the run exists now (this task queue has no worker; terminate it).
    const handle = handleOf(target);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test cleanup');
  } finally {
    await server.close();
  }
});
