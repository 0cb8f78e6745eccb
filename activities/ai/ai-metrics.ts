import type { Counter, Histogram, Registry } from 'prom-client';
import { counterOn, histogramOn } from '../metrics/registry-metrics';

// What AI service detection costs and how it goes (seed 004: requests, cache hits, cost). Every
// request for an answer is counted once, by how it ended; model calls are timed; tokens come
// from the OpenAI-compatible response's `usage`, whenever the server sent one (a call whose
// answer was unusable still spent them).

export const AI_REQUESTS_METRIC = 'previewd_ai_requests_total';
export const AI_REQUEST_DURATION_METRIC = 'previewd_ai_request_duration_seconds';
export const AI_TOKENS_METRIC = 'previewd_ai_tokens_total';
export const AI_CACHE_ERRORS_METRIC = 'previewd_ai_cache_errors_total';

/**
 * `answered`: the model's answer was used; `cached`: served from the answer cache, no model call;
 * `invalid`: an answer came but was unusable (refusal, cut off, not the schema); `timeout`,
 * `error`: no answer; `rate-limited`: previewd's own per-minute cap refused the call.
 */
export const AI_OUTCOMES = ['answered', 'cached', 'invalid', 'timeout', 'error', 'rate-limited'] as const;
export type AiOutcome = (typeof AI_OUTCOMES)[number];

/** The model calls (not cache hits, not refusals by the cap). */
export type AiCallOutcome = Exclude<AiOutcome, 'cached' | 'rate-limited'>;

export interface TokenUsage {
  readonly prompt_tokens?: number;
  readonly completion_tokens?: number;
}

const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60];

export class AiMetrics {
  private readonly requests: Counter<'outcome'>;
  private readonly duration: Histogram<'outcome'>;
  private readonly tokens: Counter<'kind'>;
  private readonly cacheErrors: Counter<'operation'>;

  constructor(registry: Registry) {
    this.requests = counterOn(registry, AI_REQUESTS_METRIC, 'Requests for an AI service choice, by outcome (cached: answered from the shared answer cache)', ['outcome']);
    this.duration = histogramOn(registry, AI_REQUEST_DURATION_METRIC, 'Duration of model calls, by outcome', ['outcome'], DURATION_BUCKETS);
    this.tokens = counterOn(registry, AI_TOKENS_METRIC, "Tokens the model reported spending (the response's usage), by kind (prompt, completion)", ['kind']);
    this.cacheErrors = counterOn(registry, AI_CACHE_ERRORS_METRIC, 'AI answer cache operations that failed (the model was asked instead, or the answer not stored)', ['operation']);
    // Every series exists from the start, so a rate() over it is 0 rather than absent.
    for (const outcome of AI_OUTCOMES) this.requests.inc({ outcome }, 0);
    for (const kind of ['prompt', 'completion']) this.tokens.inc({ kind }, 0);
    for (const operation of ['lookup', 'claim', 'store']) this.cacheErrors.inc({ operation }, 0);
  }

  request(outcome: AiOutcome): void {
    this.requests.inc({ outcome });
  }

  call(outcome: AiCallOutcome, seconds: number, usage?: TokenUsage | null): void {
    this.requests.inc({ outcome });
    this.duration.observe({ outcome }, seconds);
    if (usage?.prompt_tokens) this.tokens.inc({ kind: 'prompt' }, usage.prompt_tokens);
    if (usage?.completion_tokens) this.tokens.inc({ kind: 'completion' }, usage.completion_tokens);
  }

  cacheError(operation: 'lookup' | 'claim' | 'store'): void {
    this.cacheErrors.inc({ operation });
  }
}
