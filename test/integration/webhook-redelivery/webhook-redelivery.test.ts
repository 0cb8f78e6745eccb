import { generateKeyPairSync } from 'node:crypto';
import { ScheduleNotFoundError, type Client, type Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { Registry, type Counter, type Gauge } from 'prom-client';
import { createRedeliveryActivities, WEBHOOK_FAILED_DELIVERIES_METRIC, WEBHOOK_REDELIVERIES_METRIC } from '../../../activities/webhook-redelivery';
import { parseConfig, type PreviewdConfig } from '../../../src/config';
import { buildIngress, WEBHOOK_PATH } from '../../../src/ingress';
import { ensureRedeliverySchedule } from '../../../src/worker/webhook-redelivery-schedule';
import { prEventSignal, WEBHOOK_REDELIVERY_WORKFLOW_TYPE, type RedeliveryScan, type WebhookRedeliveryInput, type WebhookRedeliverySummary } from '../../../workflows/contract';
import { FakeGitHub, serverError } from '../../fakes/github-server';
import { devServerClient, harnessState, uniqueId } from '../../harness';
import { pullRequestEvent } from '../ingress/github-examples';
import { eventually, memoryLogger, nextTarget, repositoryEntry, SECRET, testConfig, testRepository, workflowIdOf } from '../ingress/support';

// Lost-delivery recovery end to end: the GitHub stand-in (test/fakes: GitHub's App webhook
// deliveries cannot be made to fail on demand, nor pointed at a test's ingress) holds the
// deliveries GitHub would list; the real schedule on the Temporal dev server starts the real
// workflow, whose activity asks the stand-in to redeliver; the stand-in POSTs the stored body,
// signed with the webhook secret, to previewd's real ingress, which signals-with-start the
// lifecycle workflow (on a task queue nobody polls: the test only needs to see the event arrive).

const APP_ID = 424242;
const HOUR = 3_600_000;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const repository = testRepository('redeliver');
const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR).toISOString().replace(/\.\d+Z$/, 'Z');

let client: Client;
let connection: Connection;
let native: NativeConnection;
let bundle: WorkflowBundle;
let fake: FakeGitHub;
let ingress: FastifyInstance;
let lifecycleQueue: string;
const schedules: string[] = [];
const lifecycles: string[] = [];

function configWith(taskQueue: string, auth: PreviewdConfig['github']['auth'] | 'app' | 'none' = 'app'): PreviewdConfig {
  const { temporal } = harnessState();
  return parseConfig({
    temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue },
    github: { apiBaseUrl: fake.url, ...(auth === 'app' ? { auth: { type: 'app', appId: APP_ID, privateKey: keys.privateKey } } : auth === 'none' ? {} : { auth }) },
    webhookRedelivery: { interval: '1h', lookBack: '1d', maxPerRun: 10 },
    log: { level: 'silent' },
  });
}

async function metricValues(registry: Registry): Promise<{ requested: number; failed: number; failedSeen: number }> {
  const counter = await (registry.getSingleMetric(WEBHOOK_REDELIVERIES_METRIC) as Counter<'outcome'>).get();
  const gauge = await (registry.getSingleMetric(WEBHOOK_FAILED_DELIVERIES_METRIC) as Gauge).get();
  const of = (outcome: string) => counter.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  return { requested: of('requested'), failed: of('failed'), failedSeen: gauge.values[0]?.value ?? 0 };
}

/** A worker for the redelivery workflow with the real activities against the stand-in. */
async function redeliveryWorker(taskQueue: string, registry: Registry): Promise<Worker> {
  const activities = createRedeliveryActivities({ auth: { type: 'app', appId: APP_ID, privateKey: keys.privateKey }, apiBaseUrl: fake.url, metricsRegistry: registry });
  return Worker.create({ connection: native, taskQueue, workflowBundle: bundle, activities });
}

/** Triggers the schedule (no waiting for its interval) and returns the run's result. */
async function triggeredRun(scheduleId: string, previousRuns: number): Promise<WebhookRedeliverySummary> {
  const handle = client.schedule.getHandle(scheduleId);
  await handle.trigger();
  const action = await eventually(async () => {
    const actions = (await handle.describe()).info.recentActions;
    return actions.length > previousRuns ? actions.at(-1)?.action : undefined;
  }, 'the scheduled run');
  return client.workflow.getHandle(action.workflow.workflowId, action.workflow.firstExecutionRunId).result() as Promise<WebhookRedeliverySummary>;
}

const attemptCalls = () => fake.calls().filter((c) => /^POST \/app\/hook\/deliveries\/\d+\/attempts$/.test(c));

beforeAll(async () => {
  ({ client, connection } = await devServerClient());
  native = await NativeConnection.connect({ address: connection.options.address });
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../fixtures/workflows/webhook-redelivery') });
  fake = await FakeGitHub.start({ app: { appId: APP_ID, publicKeyPem: keys.publicKey, installations: {} } });
  const { temporal } = harnessState();
  lifecycleQueue = uniqueId('nobody-polls');
  const ingressConfig = testConfig({ temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue: lifecycleQueue }, repositories: [repositoryEntry(repository, 'rdl', { mode: 'always' })] });
  ingress = await buildIngress({ config: ingressConfig, client, logger: memoryLogger().logger });
  const address = await ingress.listen({ host: '127.0.0.1', port: 0 });
  fake.hookTarget = { url: `${address}${WEBHOOK_PATH}`, secret: SECRET };
});

afterAll(async () => {
  for (const id of schedules) await client.schedule.getHandle(id).delete().catch(() => undefined);
  for (const id of lifecycles) await client.workflow.getHandle(id).terminate('test over').catch(() => undefined);
  await ingress?.close();
  await fake?.close();
  await native?.close();
  await connection?.close();
});

describe('lost-delivery recovery on the dev server', () => {
  it('redelivers only the failed delivery, once, and the event reaches the lifecycle workflow through the real ingress', async () => {
    const lost = nextTarget(repository);
    const arrived = nextTarget(repository);
    const tooOld = nextTarget(repository);
    lifecycles.push(workflowIdOf(lost));
    // Answered 503 while Temporal was down, one hour ago.
    const failed = fake.addHookDelivery({ event: 'pull_request', payload: pullRequestEvent('opened', lost), statusCode: 503, deliveredAt: hoursAgo(1) });
    const succeeded = fake.addHookDelivery({ event: 'pull_request', payload: pullRequestEvent('opened', arrived), statusCode: 202, deliveredAt: hoursAgo(2) });
    // Outside the 1-day look-back window.
    fake.addHookDelivery({ event: 'pull_request', payload: pullRequestEvent('opened', tooOld), statusCode: 502, deliveredAt: hoursAgo(30) });
    fake.clearRequests();

    const taskQueue = uniqueId('redelivery');
    const scheduleId = uniqueId('redelivery-schedule');
    schedules.push(scheduleId);
    const registry = new Registry();
    const worker = await redeliveryWorker(taskQueue, registry);
    expect(await ensureRedeliverySchedule(client, configWith(taskQueue), { scheduleId })).toBe('created');

    const { first, second, firstMetrics } = await worker.runUntil(async () => {
      const first = await triggeredRun(scheduleId, 0);
      const firstMetrics = await metricValues(registry);
      const second = await triggeredRun(scheduleId, 1);
      return { first, second, firstMetrics };
    });

    expect(first.requested).toEqual([{ id: failed.item.id, guid: failed.item.guid, event: 'pull_request' }]);
    expect(first.failedRequests).toEqual([]);
    expect(first.skipped).toEqual({ recovered: 0, alreadyRedelivered: 0, outsideWindow: 1, overCap: 0 });
    expect(firstMetrics).toEqual({ requested: 1, failed: 0, failedSeen: 1 });
    // The stand-in delivered it to the ingress, which took it this time.
    const attempts = fake.attemptsOf(failed.item.guid);
    expect(attempts.map((a) => [a.redelivery, a.status_code])).toEqual([
      [false, 503],
      [true, 202],
    ]);
    expect(fake.attemptsOf(succeeded.item.guid)).toHaveLength(1);

    // The second run finds the event recovered and asks for nothing.
    expect(second.requested).toEqual([]);
    expect(second.skipped.recovered).toBe(1);
    expect(attemptCalls()).toEqual([`POST /app/hook/deliveries/${failed.item.id}/attempts`]);
    expect(await metricValues(registry)).toEqual({ requested: 1, failed: 0, failedSeen: 0 });

    // The lost event is in the lifecycle workflow's history: signal-with-start by the ingress.
    const history = await client.workflow.getHandle(workflowIdOf(lost)).fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === prEventSignal.name);
    expect(signals).toHaveLength(1);
  });

  it('a redelivery request GitHub refuses is counted and asked again by the next run, not retried in the same one', async () => {
    const target = nextTarget(repository);
    lifecycles.push(workflowIdOf(target));
    const failed = fake.addHookDelivery({ event: 'pull_request', payload: pullRequestEvent('opened', target), statusCode: 0, deliveredAt: hoursAgo(3) });
    const taskQueue = uniqueId('redelivery');
    const registry = new Registry();
    const worker = await redeliveryWorker(taskQueue, registry);
    const input: WebhookRedeliveryInput = { lookBackMs: 6 * HOUR, maxPerRun: 10 };
    const run = () => client.workflow.execute(WEBHOOK_REDELIVERY_WORKFLOW_TYPE, { taskQueue, workflowId: uniqueId('redelivery-run'), args: [input] }) as Promise<WebhookRedeliverySummary>;
    fake.clearRequests();
    fake.failNext({ method: 'POST', path: /\/attempts$/ }, serverError());

    const [first, second] = await worker.runUntil(async () => [await run(), await run()]);

    expect(first.requested).toEqual([]);
    expect(first.failedRequests).toEqual([expect.objectContaining({ id: failed.item.id, guid: failed.item.guid, error: expect.stringMatching(/^GitHubUnavailable: /) })]);
    expect(second.requested).toEqual([{ id: failed.item.id, guid: failed.item.guid, event: 'pull_request' }]);
    expect(attemptCalls()).toEqual([`POST /app/hook/deliveries/${failed.item.id}/attempts`, `POST /app/hook/deliveries/${failed.item.id}/attempts`]);
    expect(await metricValues(registry)).toMatchObject({ requested: 1, failed: 1 });
  });

  it('pages through the deliveries by cursor, and stops at the page where the window starts', async () => {
    // 150 delivered events from 40 hours ago: two pages of 100 with what the tests before left.
    for (let i = 0; i < 150; i++) fake.addHookDelivery({ event: 'pull_request', payload: pullRequestEvent('synchronize', nextTarget(repository)), statusCode: 202, deliveredAt: hoursAgo(40) });
    const activities = createRedeliveryActivities({ auth: { type: 'app', appId: APP_ID, privateKey: keys.privateKey }, apiBaseUrl: fake.url });
    const pagesAsked = () => fake.calls().filter((c) => c.startsWith('GET /app/hook/deliveries')).map((c) => (/cursor=/.test(c) ? 'next' : 'first'));

    const scan = (input: WebhookRedeliveryInput) => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') }).run<[WebhookRedeliveryInput], RedeliveryScan, typeof activities.listFailedWebhookDeliveries>(activities.listFailedWebhookDeliveries, input);

    fake.clearRequests();
    const everything = await scan({ lookBackMs: 3 * 24 * HOUR, maxPerRun: 10 });
    expect(everything.configured && everything.listed).toBe(fake.hookDeliveries.length);
    expect(pagesAsked()).toEqual(['first', 'next']);

    fake.clearRequests();
    const lastDay = await scan({ lookBackMs: 24 * HOUR, maxPerRun: 10 });
    expect(lastDay.configured && lastDay.listed).toBe(100);
    expect(pagesAsked()).toEqual(['first']);
  });

  it('pauses the schedule without GitHub App credentials, and does not create one that never existed', async () => {
    const taskQueue = uniqueId('redelivery');
    const scheduleId = uniqueId('redelivery-schedule');
    schedules.push(scheduleId);
    expect(await ensureRedeliverySchedule(client, configWith(taskQueue, 'none'), { scheduleId })).toBe('absent');
    await expect(client.schedule.getHandle(scheduleId).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(await ensureRedeliverySchedule(client, configWith(taskQueue), { scheduleId })).toBe('created');
    expect(await ensureRedeliverySchedule(client, configWith(taskQueue, { type: 'token', token: 'ghp_not-an-app' }), { scheduleId })).toBe('paused');
    const described = await client.schedule.getHandle(scheduleId).describe();
    expect(described.state.paused).toBe(true);
    expect(described.state.note).toMatch(/needs GitHub App credentials/);
  });
});
