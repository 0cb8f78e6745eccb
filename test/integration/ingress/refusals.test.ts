import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildIngress, createIngressMetrics, WEBHOOK_PATH, type IngressMetrics } from '../../../src/ingress';
import { freePorts } from '../../../src/dev/free-ports';
import { harnessState, uniqueId } from '../../harness';
import { anyExample, commentEvent, githubSignature, pingExample, pullRequestEvent, pullRequestExample, signedDelivery } from './github-examples';
import { deliver, expectNoWorkflow, memoryLogger, nextTarget, OLD_SECRET, repositoryEntry, SECRET, testConfig, testRepository, workflowIdOf } from './support';
import { guardedInterceptors } from '../../../src/temporal-client';

// Every delivery the ingress must refuse or ignore gets its status code, and none of them
// starts a workflow on the real dev server. No worker runs here: an accepted delivery only
// has to be durable in Temporal, not processed.

const repository = testRepository('ingress-refusals');
const otherRepository = testRepository('ingress-refusals-b');

let connection: Connection;
let client: Client;
let app: FastifyInstance;
let appTaskQueue: string;
let metrics: IngressMetrics;
const log = memoryLogger('debug');
const apps: FastifyInstance[] = [];

function config(overrides: Parameters<typeof testConfig>[0] = {}): ReturnType<typeof testConfig> {
  const { temporal } = harnessState();
  return testConfig({
    temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue: uniqueId('ingress-refusals') },
    repositories: [repositoryEntry(repository, 'ref', { mode: 'always' }), repositoryEntry(otherRepository, 'refb', { mode: 'always' })],
    ...overrides,
  });
}

async function ingress(overrides: Parameters<typeof testConfig>[0] = {}, withClient: Client = client): Promise<FastifyInstance> {
  const built = await buildIngress({ config: config(overrides), client: withClient, logger: log.logger });
  apps.push(built);
  return built;
}

beforeAll(async () => {
  const { temporal } = harnessState();
  connection = await Connection.connect({ address: temporal.address, interceptors: guardedInterceptors() });
  client = new Client({ connection, namespace: temporal.namespace });
  metrics = createIngressMetrics();
  const appConfig = config();
  appTaskQueue = appConfig.temporal.taskQueue;
  app = await buildIngress({ config: appConfig, client, logger: log.logger, metrics });
  apps.push(app);
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await connection?.close();
});

function openedFor(target = nextTarget(repository)) {
  return { target, payload: pullRequestEvent('opened', target, { labels: ['preview'] }) };
}

describe('signature', () => {
  test('missing X-Hub-Signature-256 → 401, nothing started', async () => {
    const { target, payload } = openedFor();
    const { headers, body } = await signedDelivery('pull_request', payload, SECRET);
    const { 'x-hub-signature-256': _dropped, ...unsigned } = headers;
    const res = await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers: unsigned, payload: body });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
    await expectNoWorkflow(client, workflowIdOf(target));
  });

  test('signed with a secret previewd does not know → 401, nothing started', async () => {
    const { target, payload } = openedFor();
    const res = await deliver(app, 'pull_request', payload, { secret: 'an-attackers-guess-0000' });
    expect(res.statusCode).toBe(401);
    await expectNoWorkflow(client, workflowIdOf(target));
  });

  test('a valid signature of another body (tampered payload) → 401, nothing started', async () => {
    const { target, payload } = openedFor();
    const { headers } = await signedDelivery('pull_request', pullRequestExample('opened'), SECRET);
    const res = await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers, payload: JSON.stringify(payload) });
    expect(res.statusCode).toBe(401);
    await expectNoWorkflow(client, workflowIdOf(target));
  });

  test('a malformed signature header → 401, nothing started', async () => {
    const { target, payload } = openedFor();
    const { headers, body } = await signedDelivery('pull_request', payload, SECRET);
    const res = await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers: { ...headers, 'x-hub-signature-256': headers['x-hub-signature-256']?.replace('sha256=', 'sha1=') ?? '' }, payload: body });
    expect(res.statusCode).toBe(401);
    await expectNoWorkflow(client, workflowIdOf(target));
  });

  test('during a rotation the previous secret is still accepted', async () => {
    const { target, payload } = openedFor();
    const res = await deliver(app, 'pull_request', payload, { secret: OLD_SECRET });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ result: 'accepted', workflowId: workflowIdOf(target) });
    await client.workflow.getHandle(workflowIdOf(target)).terminate('test cleanup');
  });
});

describe('body', () => {
  test('over the configured body limit → 413, nothing started', async () => {
    const small = await ingress({ ingress: { bodyLimitBytes: 4096 } });
    const { target, payload } = openedFor();
    const { headers, body } = await signedDelivery('pull_request', payload, SECRET);
    expect(body.length).toBeGreaterThan(4096);
    const res = await small.inject({ method: 'POST', url: WEBHOOK_PATH, headers, payload: body });
    expect(res.statusCode).toBe(413);
    await expectNoWorkflow(client, workflowIdOf(target));
  });

  test('the default body limit is GitHub’s 25 MB', () => {
    expect(config().ingress.bodyLimitBytes).toBe(25 * 1024 * 1024);
  });

  test.each([
    ['plain text', 'text/plain', 'opened a pull request'],
    ['a form-encoded delivery (GitHub content type x-www-form-urlencoded)', 'application/x-www-form-urlencoded', `payload=${encodeURIComponent('{"action":"opened"}')}`],
  ])('correctly signed but not JSON (%s) → 400, nothing started', async (_name, contentType, body) => {
    const since = new Date().toISOString();
    const res = await app.inject({
      method: 'POST',
      url: WEBHOOK_PATH,
      headers: { 'content-type': contentType, 'x-github-event': 'pull_request', 'x-github-delivery': uniqueId('d'), 'x-hub-signature-256': githubSignature(SECRET, body) },
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request', message: expect.stringContaining('application/json') });
    // A body that is not JSON names no PR; check that nothing at all started on this ingress's queue.
    const started = await client.workflow.count(`TaskQueue = '${appTaskQueue}' AND StartTime >= '${since}'`);
    expect(started.count).toBe(0);
  });

  test('signed JSON that is not a pull_request payload → 400, nothing started', async () => {
    const target = nextTarget(repository);
    const truncated = pullRequestEvent('opened', target, { labels: ['preview'] }) as unknown as Record<string, unknown>;
    delete truncated.pull_request;
    const res = await deliver(app, 'pull_request', truncated);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('pull_request');
    await expectNoWorkflow(client, workflowIdOf(target));
  });

  test('no X-GitHub-Delivery → 400, nothing started', async () => {
    const { target, payload } = openedFor();
    const { headers, body } = await signedDelivery('pull_request', payload, SECRET);
    const { 'x-github-delivery': _dropped, ...rest } = headers;
    const res = await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers: rest, payload: body });
    expect(res.statusCode).toBe(400);
    await expectNoWorkflow(client, workflowIdOf(target));
  });
});

describe('events and repositories', () => {
  test('ping → 200', async () => {
    const res = await deliver(app, 'ping', pingExample());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ result: 'pong' });
  });

  test('an event previewd does not handle (push, star) → 202 ignored', async () => {
    for (const event of ['push', 'star']) {
      const res = await deliver(app, event, anyExample(event));
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ result: 'ignored', reason: expect.stringContaining(event) });
    }
  });

  test('a repository outside the allowlist → 202 ignored and logged, nothing started', async () => {
    // The published example unchanged: Codertocat/Hello-World is not configured here.
    const payload = pullRequestExample('opened');
    const res = await deliver(app, 'pull_request', payload);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ result: 'ignored', reason: expect.stringContaining('Codertocat/Hello-World') });
    expect(log.lines()).toContain('delivery for a repository outside the allowlist ignored');
    await expectNoWorkflow(client, workflowIdOf({ repository: 'Codertocat/Hello-World', number: payload.number }));
  });

  test('per-repository rate limit → 429 for that repository only, nothing started', async () => {
    const limited = await ingress({ ingress: { rateLimit: { max: 2, window: '1m' } } });
    const target = nextTarget(repository);
    // Only deliveries that create work count (a redeploy, an event that may start a preview);
    // the redeploys find no preview, so the first two start nothing either.
    const redeploy = (to: typeof target) => deliver(limited, 'issue_comment', commentEvent(to, { body: '/preview redeploy', association: 'OWNER' }));
    for (let i = 0; i < 2; i++) expect((await redeploy(target)).statusCode).toBe(202);
    // Events that create no work are never refused (an ending event must not keep a preview alive).
    expect((await deliver(limited, 'pull_request', pullRequestEvent('closed', target, { state: 'closed' }))).statusCode).toBe(202);
    const third = await deliver(limited, 'pull_request', pullRequestEvent('opened', target, { labels: ['preview'] }));
    expect(third.statusCode).toBe(429);
    await expectNoWorkflow(client, workflowIdOf(target));
    expect((await redeploy(nextTarget(otherRepository))).statusCode).toBe(202);
  });
});

describe('Temporal unreachable', () => {
  let deadClient: Client;
  beforeAll(async () => {
    const [port] = await freePorts(1);
    deadClient = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${port}` }) });
  });
  afterAll(async () => {
    await deadClient.connection.close();
  });

  test('a delivery that would start a preview → 503 (GitHub may redeliver), and /readyz → 503', async () => {
    const dead = await ingress({ temporal: { acceptTimeoutMs: 1_000 } }, deadClient);
    const { payload } = openedFor();
    const res = await deliver(dead, 'pull_request', payload);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: 'temporal_unavailable' });
    const comment = await deliver(dead, 'pull_request', pullRequestEvent('closed', nextTarget(repository)));
    expect(comment.statusCode).toBe(503);
    expect((await dead.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    expect((await dead.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('health, readiness, metrics, logs', () => {
  test('/healthz and /readyz answer 200 while Temporal is reachable', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
  });

  test('/metrics counts deliveries by event, action and result, with unverified ones apart', async () => {
    await deliver(app, 'pull_request', openedFor().payload, { secret: 'wrong-secret-0000' });
    await deliver(app, 'ping', pingExample());
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/previewd_webhook_deliveries_total\{event="unverified",action="none",result="unauthorized"\} [1-9]/);
    expect(res.body).toMatch(/previewd_webhook_deliveries_total\{event="ping",action="none",result="pong"\} [1-9]/);
    expect(res.body).toMatch(/previewd_webhook_deliveries_total\{event="pull_request",action="opened",result="accepted"\} [1-9]/);
    expect(res.body).toMatch(/previewd_webhook_accept_seconds_bucket\{le="0\.5",event="pull_request",result="accepted"\} [1-9]/);
    expect(res.body).toMatch(/previewd_temporal_calls_total\{operation="signalWithStart",outcome="ok"\} [1-9]/);
    expect(res.body).toContain('previewd_ingress_process_cpu_seconds_total');
  });

  test('no secret reaches the log: webhook secrets, signatures, API keys, tokens', async () => {
    const secrets = testConfig({
      temporal: { apiKey: 'temporal-api-key-SECRET', tls: { enabled: true } },
      github: { webhookSecrets: [SECRET, OLD_SECRET], auth: { type: 'token', token: 'ghp_tokenSECRET' } },
      ai: { apiKey: 'sk-openai-SECRET' },
    });
    log.logger.info({ config: secrets }, 'configuration');
    const { headers, body } = await signedDelivery('pull_request', openedFor().payload, 'wrong-secret-0000');
    await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers, payload: body });
    const text = log.lines();
    expect(text).toContain('[redacted]');
    for (const secret of [SECRET, OLD_SECRET, 'temporal-api-key-SECRET', 'ghp_tokenSECRET', 'sk-openai-SECRET', headers['x-hub-signature-256'] ?? 'x', 'wrong-secret-0000']) {
      expect(text).not.toContain(secret);
    }
  });
});
