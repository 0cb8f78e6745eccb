import { defineSignal } from '@temporalio/workflow';

// The AI answer cache, shared by every worker through Temporal: one short workflow per cache
// key (a hash of what the model is shown, the model and the prompt version). The worker that
// misses starts it, asks the model and signals the answer; the run then completes with the
// answer as its result, and that completed run is the cache entry until `storedAt` + the TTL.
// Readers read the result; a reader that finds a run still waiting for its answer waits on it
// (bounded) instead of asking the model a second time. Nothing idles in a worker: a run lives
// only as long as one model call, and the entry is Temporal's stored history.

export const AI_ANSWER_CACHE_ID_PREFIX = 'previewd-ai-answer:';

/** The model's answer as the service chooser uses it (activities/ai's AiDetection). */
export interface CachedAiAnswer {
  readonly services: string[];
  readonly dropped: string[];
  readonly rationale: string;
  readonly model: string;
  readonly listedFiles: number;
}

export interface AiAnswerCacheInput {
  /** How long the run waits for its answer before it completes empty (one model call's timeout plus margin). */
  readonly leaseMs: number;
}

/** The run's result: the cache entry. No answer means the filler gave up; readers treat it as a miss. */
export interface AiAnswerCacheEntry {
  readonly answer?: CachedAiAnswer;
  /** ISO-8601 workflow time the answer arrived (or the lease ran out): the TTL counts from here. */
  readonly storedAt: string;
}

/** The filler's answer, or why there is none (the model failed: nothing is cached, waiting readers ask themselves). */
export type StoreAiAnswer = { readonly answer: CachedAiAnswer } | { readonly abandoned: string };

export const storeAiAnswerSignal = defineSignal<[StoreAiAnswer]>('storeAiAnswer');
