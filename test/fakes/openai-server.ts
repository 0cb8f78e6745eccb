import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type OpenAI from 'openai';

// A local OpenAI-compatible server for `POST /v1/chat/completions`: answers are typed as the
// SDK's `ChatCompletion`, errors use OpenAI's `{ error: { message, type, param, code } }` body.
// Each request is recorded (path, headers, body) so tests can assert the prompt and the
// structured-output schema. `hang` holds a request open until the client gives up, so timeout
// tests need no sleeps.

export interface RecordedCompletionRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
}

/** What the server says it spent (OpenAI's `usage`); every answer carries one, as OpenAI's do. */
export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
}

export const DEFAULT_USAGE: Usage = { prompt_tokens: 412, completion_tokens: 38 };

export type OpenAiReply =
  | { readonly kind: 'answer'; readonly content: string; readonly finishReason?: 'stop' | 'length'; readonly usage?: Usage }
  | { readonly kind: 'refusal'; readonly refusal: string }
  | { readonly kind: 'error'; readonly status: number; readonly error: { message: string; type: string; param: string | null; code: string | null } }
  | { readonly kind: 'hang' };

export function jsonAnswer(value: unknown, usage?: Usage): OpenAiReply {
  return { kind: 'answer', content: JSON.stringify(value), ...(usage && { usage }) };
}

/** OpenAI's answer to a wrong key: the message echoes a masked key. */
export function invalidApiKey(apiKey: string): OpenAiReply {
  return {
    kind: 'error',
    status: 401,
    error: {
      message: `Incorrect API key provided: ${apiKey.slice(0, 3)}***${apiKey.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  };
}

export class FakeOpenAi {
  readonly requests: RecordedCompletionRequest[] = [];
  private readonly replies: OpenAiReply[] = [];
  private server?: Server;
  private origin = '';

  static async start(): Promise<FakeOpenAi> {
    const fake = new FakeOpenAi();
    const server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.server = server;
    fake.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The `baseURL` to configure. */
  get baseURL(): string {
    return `${this.origin}/v1`;
  }

  /** Completion requests received so far: a cached answer must not add one. */
  get calls(): number {
    return this.requests.length;
  }

  /** Replies for the next requests, in order; without one the server answers 500. */
  reply(...replies: OpenAiReply[]): void {
    this.replies.push(...replies);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server?.close((err) => (err ? reject(err) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', this.origin).pathname;
    if (req.method !== 'POST' || path !== '/v1/chat/completions') return sendJson(res, 404, { error: { message: 'Not found', type: 'invalid_request_error', param: null, code: null } });
    const body = JSON.parse(raw) as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
    this.requests.push({ path, headers: req.headers, body });
    const reply = this.replies.shift();
    if (!reply) return sendJson(res, 500, { error: { message: 'no reply configured', type: 'server_error', param: null, code: null } });
    if (reply.kind === 'hang') return; // until the client aborts or the server closes
    if (reply.kind === 'error') return sendJson(res, reply.status, { error: reply.error });
    sendJson(res, 200, completion(body.model, reply));
  }
}

function completion(model: string, reply: Extract<OpenAiReply, { kind: 'answer' | 'refusal' }>): OpenAI.Chat.Completions.ChatCompletion {
  return {
    id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
    object: 'chat.completion',
    created: 1_741_569_952,
    model: `${model}-2024-07-18`,
    choices: [
      {
        index: 0,
        message:
          reply.kind === 'answer'
            ? { role: 'assistant', content: reply.content, refusal: null, annotations: [] }
            : { role: 'assistant', content: null, refusal: reply.refusal, annotations: [] },
        logprobs: null,
        finish_reason: reply.kind === 'answer' ? (reply.finishReason ?? 'stop') : 'stop',
      },
    ],
    usage: usageOf(reply),
    service_tier: 'default',
    system_fingerprint: 'fp_06737a9306',
  };
}

function usageOf(reply: Extract<OpenAiReply, { kind: 'answer' | 'refusal' }>): OpenAI.CompletionUsage {
  const usage = (reply.kind === 'answer' && reply.usage) || DEFAULT_USAGE;
  return { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${Math.random().toString(16).slice(2, 14)}` });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
