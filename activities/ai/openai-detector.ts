import OpenAI from 'openai';
import {
  ANSWER_SCHEMA_NAME,
  AiAnswerError,
  DEFAULT_PROMPT_LIMITS,
  PerMinuteLimiter,
  answerJsonSchema,
  buildServicePrompt,
  parseAiAnswer,
  redactApiKey,
  type AiAnswer,
  type PromptLimits,
  type ServicePrompt,
  type ServicePromptInput,
} from '../../src/ai';
import { aiConfigSchema } from '../../src/config/connections';
import type { AiCallOutcome, AiMetrics } from './ai-metrics';

// The model call behind AI service detection: one chat completion with a strict JSON-schema
// response format (the most widely implemented structured-output API among OpenAI-compatible
// servers), no SDK retries (the caller falls back instead of waiting), a hard timeout, and a
// per-minute cap shared by every call of this worker.

export interface AiDetectorOptions {
  /** OpenAI-compatible API base, e.g. `https://api.openai.com/v1` or a local server's `/v1`. */
  readonly baseURL?: string;
  /** Optional for servers that need none. */
  readonly apiKey?: string;
  readonly model: string;
  readonly timeoutMs?: number;
  readonly perMinute?: number;
  readonly limits?: PromptLimits;
}

export interface AiDetection extends AiAnswer {
  readonly model: string;
  /** Files the prompt listed (the rest were counted only). */
  readonly listedFiles: number;
  /** Served from the shared answer cache (no model call). */
  readonly cached?: boolean;
}

export type ServiceDetector = (input: ServicePromptInput) => Promise<AiDetection>;

/** Why the AI answer could not be used; its message is safe for history and logs. */
export class AiUnavailableError extends Error {
  override readonly name = 'AiUnavailableError';
}

/** The config schema's defaults, for callers that build a detector without the config. */
const AI_DEFAULTS = aiConfigSchema.parse({});
export const DEFAULT_AI_TIMEOUT_MS = AI_DEFAULTS.timeoutMs;
export const DEFAULT_AI_PER_MINUTE = AI_DEFAULTS.perMinute;

function describe(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut || err instanceof OpenAI.APIConnectionTimeoutError) return `the model did not answer within ${timeoutMs} ms`;
  if (err instanceof AiAnswerError || err instanceof AiUnavailableError) return err.message;
  if (err instanceof OpenAI.APIConnectionError) return `could not reach the AI endpoint: ${err.message}`;
  if (err instanceof OpenAI.APIError) return `the AI endpoint answered HTTP ${err.status ?? '?'}: ${err.message}`;
  return `the AI call failed: ${err instanceof Error ? err.message : String(err)}`;
}

function completionRequest(model: string, prompt: ServicePrompt, names: readonly string[]): OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming {
  return {
    model,
    messages: [
      { role: 'system', content: prompt.system },
      { role: 'user', content: prompt.user },
    ],
    response_format: { type: 'json_schema', json_schema: { name: ANSWER_SCHEMA_NAME, strict: true, schema: answerJsonSchema(names) } },
  };
}

function isTimeout(err: unknown, deadline: AbortSignal): boolean {
  return deadline.aborted || err instanceof OpenAI.APIConnectionTimeoutError;
}

export function createOpenAiDetector(options: AiDetectorOptions, now: () => number = Date.now, metrics?: AiMetrics): ServiceDetector {
  const timeoutMs = options.timeoutMs ?? DEFAULT_AI_TIMEOUT_MS;
  const limiter = new PerMinuteLimiter(options.perMinute ?? DEFAULT_AI_PER_MINUTE, now);
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey ?? 'none',
    // The deadline is our own signal below; the SDK's timeout is only a backstop.
    timeout: timeoutMs + 1_000,
    maxRetries: 0,
  });
  return async (input) => {
    if (!limiter.tryAcquire()) {
      metrics?.request('rate-limited');
      throw new AiUnavailableError(`the AI rate limit of ${options.perMinute ?? DEFAULT_AI_PER_MINUTE} calls per minute is reached`);
    }
    const prompt = buildServicePrompt(input, options.limits ?? DEFAULT_PROMPT_LIMITS);
    const names = input.services.map((s) => s.name);
    const deadline = AbortSignal.timeout(timeoutMs);
    const started = performance.now();
    let outcome: AiCallOutcome = 'error';
    let usage: OpenAI.CompletionUsage | undefined;
    try {
      const completion = await client.chat.completions.create(completionRequest(options.model, prompt, names), { signal: deadline });
      usage = completion.usage;
      outcome = 'invalid';
      const choice = completion.choices[0];
      if (!choice) throw new AiUnavailableError('the model returned no choices');
      if (choice.message.refusal) throw new AiUnavailableError(`the model refused: ${choice.message.refusal.slice(0, 200)}`);
      if (choice.finish_reason !== 'stop') throw new AiUnavailableError(`the answer is incomplete (finish_reason ${choice.finish_reason})`);
      const detection = { ...parseAiAnswer(choice.message.content, names), model: completion.model || options.model, listedFiles: prompt.listedFiles };
      outcome = 'answered';
      return detection;
    } catch (err) {
      if (outcome === 'error' && isTimeout(err, deadline)) outcome = 'timeout';
      throw new AiUnavailableError(redactApiKey(describe(err, deadline.aborted, timeoutMs), options.apiKey));
    } finally {
      metrics?.call(outcome, (performance.now() - started) / 1000, usage);
    }
  };
}
