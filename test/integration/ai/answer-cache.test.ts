import { Client, type Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { createActivities } from '../../../activities';
import { AI_CACHE_ERRORS_METRIC, AI_REQUEST_DURATION_METRIC, AI_REQUESTS_METRIC, AI_TOKENS_METRIC, type ServiceChoice } from '../../../activities/ai';
import { FakeGitHub } from '../../fakes/github-server';
import { DEFAULT_USAGE, FakeOpenAi, jsonAnswer } from '../../fakes/openai-server';
import { devServerClient, testKubeConfig, uniqueId } from '../../harness';
import { testSettings } from '../kubernetes/support';
import { runActivity } from '../github/support';
import { SERVICES } from '../../unit/ai/fixtures';
import { AI_ANSWER_CACHE_ID_PREFIX, type ChooseServicesInput } from '../../../workflows/contract';

// The AI answer cache shared through Temporal, on the dev server: the service-choice activity as
// the worker composes it (createActivities with `ai`, `aiCache` and the Temporal client), the
// cache's workflow on a real worker, the PR files from the local GitHub and the model on the
// local OpenAI-compatible server, which counts the completion requests it gets.

const TOKEN = 'ghp_aiCacheTestToken0000000000000000000';
const API_KEY = 'sk-proj-CACHETEST0123456789abcdefghijkl';
const MODEL = 'gpt-4o-mini';

/** One PR of a repository no other test uses, whose changed files are `files`. */
function prWith(github: FakeGitHub, repository: string, prNumber: number, files: { filename: string; additions: number; deletions: number }[]): ChooseServicesInput {
  github.setPullFiles(repository, prNumber, files);
  return { preview: { repository, repoKey: repository.split('/')[1] ?? 'x', prNumber }, headSha: 'c'.repeat(40), scope: 'affected', services: SERVICES };
}

/** One series' value; `suffix` picks a histogram's `_count` or `_sum`. */
async function sample(registry: Registry, metric: string, labels: string, suffix = ''): Promise<number> {
  const text = await registry.getSingleMetricAsString(metric);
  const line = text.split('\n').find((l) => l.startsWith(`${metric}${suffix}${labels} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('AI answer cache through Temporal (dev server, OpenAI and GitHub stand-ins)', () => {
  let github: FakeGitHub;
  let openai: FakeOpenAi;
  let client: Client;
  let connection: Connection;
  let native: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueId('ai-cache');

  beforeAll(async () => {
    [github, openai] = await Promise.all([FakeGitHub.start({ tokens: [TOKEN] }), FakeOpenAi.start()]);
    ({ client, connection } = await devServerClient());
    native = await NativeConnection.connect({ address: connection.options.address });
    // Only the cache's workflow: it is all this queue runs here.
    worker = await Worker.create({ connection: native, taskQueue, workflowsPath: require.resolve('../../../workflows/ai-answer-cache') });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await native?.close();
    await connection?.close();
    await Promise.all([github?.close(), openai?.close()]);
  });

  /** The worker's composition; the activity returns the full ServiceChoice (the contract's result type is its subset). */
  function chooseServices(registry: Registry, over: { ttlMs?: number; temporalClient?: Client } = {}): (input: ChooseServicesInput) => Promise<ServiceChoice> {
    const { chooseServices: choose } = createActivities({
      kubernetes: { kubeConfig: testKubeConfig(), settings: testSettings() },
      github: { auth: { type: 'token', token: TOKEN }, apiBaseUrl: github.url },
      ai: { baseURL: openai.baseURL, apiKey: API_KEY, model: MODEL, timeoutMs: 5_000 },
      aiCache: { taskQueue, ttlMs: over.ttlMs ?? 3_600_000 },
      temporalClient: over.temporalClient ?? client,
      metricsRegistry: registry,
    });
    return choose as (input: ChooseServicesInput) => Promise<ServiceChoice>;
  }

  const repository = () => `acme/${uniqueId('cache').replace(/[^a-z0-9-]/g, '')}`;
  const diff = [
    { filename: 'worker/jobs/invoice.ts', additions: 20, deletions: 3 },
    { filename: 'libs/money/round.ts', additions: 5, deletions: 5 },
  ];

  it('answers a second preview with the same diff from the cache, without calling the model; another diff calls it', async () => {
    const registry = new Registry();
    const repo = repository();
    const choose = chooseServices(registry);
    const calls = openai.calls;
    openai.reply(jsonAnswer({ services: ['www', 'billing'], rationale: 'libs/money is used by the web checkout' }));

    const first = await runActivity(choose, prWith(github, repo, 1, diff));
    expect(openai.calls).toBe(calls + 1);
    expect(first).toMatchObject({ source: 'ai', ai: { suggested: ['www'], dropped: ['billing'] } });
    expect(first.ai?.cached).toBeUndefined();

    // Another PR, the same changed files: the entry another worker would read, here the same process.
    const second = await runActivity(chooseServices(new Registry()), prWith(github, repo, 2, diff));
    expect(openai.calls).toBe(calls + 1);
    expect(second).toEqual({ ...first, ai: { ...first.ai, cached: true } });
    const again = await runActivity(choose, prWith(github, repo, 3, diff));
    expect(openai.calls).toBe(calls + 1);
    expect(again.ai?.cached).toBe(true);

    // The entry is a completed run of the cache's workflow.
    const { count } = await client.workflow.count(`WorkflowType = 'aiAnswerCache' AND ExecutionStatus = 'Completed' AND WorkflowId STARTS_WITH '${AI_ANSWER_CACHE_ID_PREFIX}'`);
    expect(count).toBeGreaterThanOrEqual(1);

    openai.reply(jsonAnswer({ services: ['api'], rationale: 'a different change' }));
    const other = await runActivity(choose, prWith(github, repo, 4, [{ filename: 'api/routes.ts', additions: 1, deletions: 1 }]));
    expect(openai.calls).toBe(calls + 2);
    expect(other.ai?.cached).toBeUndefined();

    // Metrics: two model calls (answered) with their usage, one request served from the cache.
    expect(await sample(registry, AI_REQUESTS_METRIC, '{outcome="answered"}')).toBe(2);
    expect(await sample(registry, AI_REQUESTS_METRIC, '{outcome="cached"}')).toBe(1);
    expect(await sample(registry, AI_REQUEST_DURATION_METRIC, '{outcome="answered"}', '_count')).toBe(2);
    expect(await sample(registry, AI_TOKENS_METRIC, '{kind="prompt"}')).toBe(2 * DEFAULT_USAGE.prompt_tokens);
    expect(await sample(registry, AI_TOKENS_METRIC, '{kind="completion"}')).toBe(2 * DEFAULT_USAGE.completion_tokens);
  });

  it('asks the model again once the entry is older than the TTL', async () => {
    const repo = repository();
    const choose = chooseServices(new Registry(), { ttlMs: 1_500 });
    const calls = openai.calls;
    openai.reply(jsonAnswer({ services: ['www'], rationale: 'first' }));
    openai.reply(jsonAnswer({ services: ['www'], rationale: 'after expiry' }));
    expect((await runActivity(choose, prWith(github, repo, 1, diff))).ai?.rationale).toBe('first');
    expect((await runActivity(choose, prWith(github, repo, 2, diff))).ai).toMatchObject({ rationale: 'first', cached: true });
    expect(openai.calls).toBe(calls + 1);
    await new Promise((r) => setTimeout(r, 1_800));
    const expired = await runActivity(choose, prWith(github, repo, 3, diff));
    expect(expired.ai).toMatchObject({ rationale: 'after expiry' });
    expect(expired.ai?.cached).toBeUndefined();
    expect(openai.calls).toBe(calls + 2);
  });

  it('falls back to the model when the cache fails, and the choice still succeeds', async () => {
    const registry = new Registry();
    const repo = repository();
    // Same server, a Temporal namespace that does not exist: every cache call fails.
    const broken = new Client({ connection, namespace: uniqueId('no-such-namespace') });
    const choose = chooseServices(registry, { temporalClient: broken });
    const calls = openai.calls;
    openai.reply(jsonAnswer({ services: ['www'], rationale: 'no cache' }));
    openai.reply(jsonAnswer({ services: ['www'], rationale: 'no cache either' }));
    const first = await runActivity(choose, prWith(github, repo, 1, diff));
    const second = await runActivity(choose, prWith(github, repo, 2, diff));
    expect([first.source, second.source]).toEqual(['ai', 'ai']);
    expect([first.ai?.rationale, second.ai?.rationale]).toEqual(['no cache', 'no cache either']);
    expect(openai.calls).toBe(calls + 2);
    expect(await sample(registry, AI_CACHE_ERRORS_METRIC, '{operation="lookup"}')).toBeGreaterThanOrEqual(2);
    expect(await sample(registry, AI_REQUESTS_METRIC, '{outcome="answered"}')).toBe(2);
    expect(await sample(registry, AI_REQUESTS_METRIC, '{outcome="cached"}')).toBe(0);
  });
});
