import { createAiActivities } from '../../../activities/ai';
import { createGitHubActivities } from '../../../activities/github';
import { ANSWER_SCHEMA_NAME, SYSTEM_PROMPT } from '../../../src/ai';
import { FakeGitHub } from '../../fakes/github-server';
import { FakeOpenAi, invalidApiKey, jsonAnswer } from '../../fakes/openai-server';
import { runActivity } from '../github/support';
import { SERVICES } from '../../unit/ai/fixtures';
import type { ChooseServicesInput } from '../../../workflows/contract';

// Service choice end to end over HTTP: the PR's files from the local GitHub, the model on a
// local OpenAI-compatible server. Asserts the exact request the model gets, that its answer is
// validated, and that every kind of failure falls back to the static choice with the reason.

const TOKEN = 'ghp_aiTestToken000000000000000000000000';
const API_KEY = 'sk-proj-TESTKEY0123456789abcdefghijklmnop';
const input: ChooseServicesInput = { preview: { repository: 'acme/shop', repoKey: 'shop', prNumber: 42 }, headSha: 'a'.repeat(40), scope: 'affected', services: SERVICES };

describe('chooseServices with an OpenAI-compatible model', () => {
  let github: FakeGitHub;
  let openai: FakeOpenAi;
  let listChangedFiles: ReturnType<typeof createGitHubActivities>['listChangedFiles'];

  beforeAll(async () => {
    [github, openai] = await Promise.all([FakeGitHub.start({ tokens: [TOKEN] }), FakeOpenAi.start()]);
    github.setPullFiles('acme/shop', 42, [
      { filename: 'worker/jobs/invoice.ts', additions: 20, deletions: 3 },
      { filename: 'libs/money/round.ts', additions: 5, deletions: 5 },
    ]);
    ({ listChangedFiles } = createGitHubActivities({ auth: { type: 'token', token: TOKEN }, apiBaseUrl: github.url }));
  });
  afterAll(() => Promise.all([github.close(), openai.close()]));
  beforeEach(() => {
    openai.requests.length = 0;
  });

  const activity = (ai: { timeoutMs?: number; perMinute?: number } = {}) =>
    createAiActivities({ listChangedFiles, ai: { baseURL: openai.baseURL, apiKey: API_KEY, model: 'gpt-4o-mini', timeoutMs: 5_000, ...ai } }).chooseServices;

  it('sends a bounded prompt with a strict JSON schema, and adds the detected services with their dependencies', async () => {
    openai.reply(jsonAnswer({ services: ['www', 'billing'], rationale: 'libs/money is used by the web checkout' }));
    const choice = await runActivity(activity(), input);

    expect(openai.requests).toHaveLength(1);
    const [request] = openai.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: expect.stringContaining('M +5 -5 "libs/money/round.ts"') },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: ANSWER_SCHEMA_NAME,
          strict: true,
          schema: expect.objectContaining({ additionalProperties: false, required: ['services', 'rationale'] }),
        },
      },
    });
    const schema = request?.body.response_format as unknown as { json_schema: { schema: { properties: { services: { items: { enum: string[] } } } } } };
    expect(schema.json_schema.schema.properties.services.items.enum).toEqual(['db-migrate', 'api', 'worker', 'www']);
    expect(request?.body.messages[1]?.content).toContain('Diff stats: 2 files changed, +25 -8 lines.');

    expect(choice).toEqual({
      services: ['db-migrate', 'api', 'worker', 'www'],
      source: 'ai',
      reasons: { worker: 'changed-paths', www: 'detected', api: 'dependency', 'db-migrate': 'dependency' },
      changedFiles: 2,
      ai: { model: 'gpt-4o-mini-2024-07-18', suggested: ['www'], dropped: ['billing'], rationale: 'libs/money is used by the web checkout' },
    });
  });

  const staticChoice = { services: ['worker'], source: 'static', reasons: { worker: 'changed-paths' }, changedFiles: 2 };

  it('times out a model that does not answer and uses the static choice', async () => {
    openai.reply({ kind: 'hang' });
    const started = Date.now();
    const choice = await runActivity(activity({ timeoutMs: 300 }), input);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(choice).toEqual({ ...staticChoice, fallbackReason: 'AI not used: the model did not answer within 300 ms' });
    expect(openai.requests).toHaveLength(1); // no SDK retries
  });

  it('falls back on an HTTP error without leaking the API key', async () => {
    openai.reply(invalidApiKey(API_KEY));
    const choice = await runActivity(activity(), input);
    expect(choice).toMatchObject({ ...staticChoice, fallbackReason: expect.stringMatching(/^AI not used: the AI endpoint answered HTTP 401: 401 Incorrect API key provided: \[redacted\]/) });
    expect(JSON.stringify(choice)).not.toContain(API_KEY);
    expect(JSON.stringify(choice)).not.toContain(API_KEY.slice(-4));
  });

  it('falls back on answers that are not valid: not JSON, wrong shape, refused, cut off', async () => {
    openai.reply(
      { kind: 'answer', content: 'www and api' },
      jsonAnswer({ services: 'www' }),
      { kind: 'refusal', refusal: "I'm sorry, I can't help with that." },
      { kind: 'answer', content: '{"services": ["ww', finishReason: 'length' },
    );
    const reasons = [];
    for (let i = 0; i < 4; i++) reasons.push((await runActivity(activity(), input)).fallbackReason);
    expect(reasons).toEqual([
      'AI not used: the model did not return JSON',
      "AI not used: the model's answer does not match the schema (services: Invalid input: expected array, received string)",
      "AI not used: the model refused: I'm sorry, I can't help with that.",
      'AI not used: the answer is incomplete (finish_reason length)',
    ]);
  });

  it('stops calling the model past the per-minute limit', async () => {
    const choose = activity({ perMinute: 1 });
    openai.reply(jsonAnswer({ services: [], rationale: 'only the worker' }), jsonAnswer({ services: [], rationale: 'unused' }));
    await expect(runActivity(choose, input)).resolves.toMatchObject({ source: 'ai' });
    await expect(runActivity(choose, input)).resolves.toEqual({ ...staticChoice, fallbackReason: 'AI not used: the AI rate limit of 1 calls per minute is reached' });
    expect(openai.requests).toHaveLength(1);
  });

  it('with AI off, no model is called', async () => {
    const { chooseServices } = createAiActivities({ listChangedFiles });
    await expect(runActivity(chooseServices, input)).resolves.toEqual(staticChoice);
    expect(openai.requests).toHaveLength(0);
  });
});
