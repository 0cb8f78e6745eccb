import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Logger } from '@temporalio/common';
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  AI_ANSWER_CACHE_ID_PREFIX,
  AI_ANSWER_CACHE_WORKFLOW_TYPE,
  storeAiAnswerSignal,
  type AiAnswerCacheEntry,
  type AiAnswerCacheWorkflow,
  type CachedAiAnswer,
} from '../../workflows/contract';
import { answerCacheKey, buildServicePrompt, DEFAULT_PROMPT_LIMITS, type PromptLimits } from '../../src/ai';
import type { AiMetrics } from './ai-metrics';
import type { ServiceDetector } from './openai-detector';

// The AI answer cache, shared by every worker through Temporal (the protocol is described in
// workflows/contract/ai-answer-cache.ts). A cache entry is a completed `aiAnswerCache` run,
// readable by any worker until its `storedAt` plus the TTL; a run still waiting for its answer
// means another worker is asking the model right now, and a reader waits for that answer
// instead of paying for a second call. The cache is an optimisation only: any error of it (or a
// Temporal that does not answer in time) means "ask the model", never a failed preview.

export interface AnswerCache {
  /** The cached answer for `key`, or `compute()`'s, which is then stored for the other workers. */
  answer(key: string, compute: () => Promise<CachedAiAnswer>): Promise<{ readonly answer: CachedAiAnswer; readonly cached: boolean }>;
}

export interface TemporalAnswerCacheOptions {
  readonly client: Client;
  /** The workers' task queue: the cache runs are previewd workflows like the others. */
  readonly taskQueue: string;
  readonly ttlMs: number;
  /** How long a run waits for its filler's answer: one model call's timeout plus margin. */
  readonly leaseMs: number;
  /** Bound on each single Temporal call (describe, start, signal). */
  readonly callTimeoutMs?: number;
  readonly now?: () => number;
  readonly logger: Logger;
  readonly metrics?: AiMetrics;
}

type Operation = 'lookup' | 'claim' | 'store';

class CacheCallTimeout extends Error {
  override readonly name = 'CacheCallTimeout';
}

/** `promise`, or CacheCallTimeout after `ms`; the loser is left to settle on its own, with nobody unhandled. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  promise.catch(() => undefined);
  const stop = new AbortController();
  const expired = sleep(ms, undefined, { signal: stop.signal }).then(() => Promise.reject(new CacheCallTimeout(`${what} did not answer within ${ms} ms`)));
  expired.catch(() => undefined);
  try {
    return await Promise.race([promise, expired]);
  } finally {
    stop.abort();
  }
}

/** What a lookup found: a usable entry, nothing usable, or a run still waiting for its answer past our patience. */
type Lookup = { readonly kind: 'hit'; readonly answer: CachedAiAnswer } | { readonly kind: 'none' } | { readonly kind: 'pending' };

export function temporalAnswerCache(options: TemporalAnswerCacheOptions): AnswerCache {
  const now = options.now ?? Date.now;
  const callTimeoutMs = options.callTimeoutMs ?? 5_000;

  /** Runs a cache operation; its failure is counted and logged, and reads as `undefined`. */
  async function guarded<T>(operation: Operation, key: string, body: () => Promise<T>): Promise<T | undefined> {
    try {
      return await body();
    } catch (err) {
      options.metrics?.cacheError(operation);
      options.logger.warn('AI answer cache unavailable, asking the model', { operation, key, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      return undefined;
    }
  }

  function fresh(entry: AiAnswerCacheEntry): CachedAiAnswer | undefined {
    const storedAt = Date.parse(entry.storedAt);
    return entry.answer && Number.isFinite(storedAt) && now() - storedAt < options.ttlMs ? entry.answer : undefined;
  }

  async function lookup(handle: WorkflowHandle<AiAnswerCacheWorkflow>): Promise<Lookup> {
    let status: string;
    try {
      status = (await within(handle.describe(), callTimeoutMs, 'describe')).status.name;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { kind: 'none' };
      throw err;
    }
    if (status !== 'RUNNING' && status !== 'COMPLETED') return { kind: 'none' };
    // A running entry: another worker is asking the model; its answer is worth waiting for.
    const waitMs = status === 'RUNNING' ? options.leaseMs : callTimeoutMs;
    try {
      const answer = fresh(await within(handle.result(), waitMs, 'result'));
      return answer ? { kind: 'hit', answer } : { kind: 'none' };
    } catch (err) {
      if (err instanceof CacheCallTimeout && status === 'RUNNING') return { kind: 'pending' };
      throw err;
    }
  }

  /** Starts the entry's run; false when another worker's run is already in flight. */
  async function claim(id: string): Promise<boolean> {
    try {
      await within(
        options.client.workflow.start<AiAnswerCacheWorkflow>(AI_ANSWER_CACHE_WORKFLOW_TYPE, {
          workflowId: id,
          taskQueue: options.taskQueue,
          args: [{ leaseMs: options.leaseMs }],
          // A closed run (an expired or abandoned entry) is replaced; a running one is another filler.
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          workflowIdConflictPolicy: 'FAIL',
        }),
        callTimeoutMs,
        'start',
      );
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  return {
    async answer(key, compute) {
      const id = `${AI_ANSWER_CACHE_ID_PREFIX}${key}`;
      const handle = options.client.workflow.getHandle<AiAnswerCacheWorkflow>(id);
      let found = await guarded('lookup', key, () => lookup(handle));
      let claimed = false;
      if (found?.kind === 'none') {
        claimed = (await guarded('claim', key, () => claim(id))) ?? false;
        // Lost the race to another worker between our look and our start: wait for its answer.
        if (!claimed) found = await guarded('lookup', key, () => lookup(handle));
      }
      if (found?.kind === 'hit') {
        options.metrics?.request('cached');
        return { answer: found.answer, cached: true };
      }
      let answer: CachedAiAnswer;
      try {
        answer = await compute();
      } catch (err) {
        // Nothing is cached for a failed call: readers waiting on this run ask the model themselves now.
        if (claimed) await guarded('store', key, () => within(handle.signal(storeAiAnswerSignal, { abandoned: err instanceof Error ? err.message : String(err) }), callTimeoutMs, 'signal'));
        throw err;
      }
      if (claimed) await guarded('store', key, () => within(handle.signal(storeAiAnswerSignal, { answer }), callTimeoutMs, 'signal'));
      return { answer, cached: false };
    },
  };
}

/**
 * The detector behind the cache: the key is the hash of the prompt the model would be shown
 * (src/ai answerCacheKey), so the prompt is built here once more, which costs microseconds.
 */
export function withAnswerCache(detect: ServiceDetector, cache: AnswerCache, options: { readonly model: string; readonly limits?: PromptLimits }): ServiceDetector {
  return async (input) => {
    const prompt = buildServicePrompt(input, options.limits ?? DEFAULT_PROMPT_LIMITS);
    const key = answerCacheKey({ model: options.model, prompt, serviceNames: input.services.map((s) => s.name) });
    const { answer, cached } = await cache.answer(key, () => detect(input));
    return { ...answer, cached };
  };
}
