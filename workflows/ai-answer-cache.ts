import { condition, setHandler } from '@temporalio/workflow';
import { storeAiAnswerSignal, type AiAnswerCacheEntry, type AiAnswerCacheInput, type CachedAiAnswer, type StoreAiAnswer } from './contract';

// One AI answer cache entry (the protocol: workflows/contract/ai-answer-cache.ts). The worker
// that missed starts this run, asks the model and signals the answer; the run completes with it
// at once, so it never idles in a worker's cache: the completed run's result is the entry, read
// by any worker until it is older than the TTL. A run whose filler never answers (it crashed,
// the model failed) completes empty after its lease, and readers ask the model themselves.

const DEFAULT_LEASE_MS = 60_000;
/** Answers name catalogue services and carry a short rationale; anything bigger is not one. */
const MAX_NAMES = 500;
const MAX_TEXT = 2_000;

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isNames = (v: unknown): v is string[] => Array.isArray(v) && v.length <= MAX_NAMES && v.every((n) => isText(n, 100));

/** The signal comes from previewd's own activity; the shape is checked anyway, a cache must not hand out garbage. */
function usableAnswer(message: StoreAiAnswer | undefined): CachedAiAnswer | undefined {
  if (!message || !('answer' in message)) return undefined;
  const a = message.answer as Partial<CachedAiAnswer> | undefined;
  if (!a || !isNames(a.services) || !isNames(a.dropped) || !isText(a.rationale, MAX_TEXT) || !isText(a.model, 200) || typeof a.listedFiles !== 'number') return undefined;
  return { services: a.services, dropped: a.dropped, rationale: a.rationale, model: a.model, listedFiles: a.listedFiles };
}

export async function aiAnswerCache(input: AiAnswerCacheInput): Promise<AiAnswerCacheEntry> {
  let stored: StoreAiAnswer | undefined;
  // The first message wins; a late duplicate changes nothing.
  setHandler(
    storeAiAnswerSignal,
    (message) => {
      stored ??= message;
    },
    { description: "Stores the model's answer for this cache entry; the first one wins." },
  );
  const leaseMs = typeof input?.leaseMs === 'number' && input.leaseMs > 0 ? input.leaseMs : DEFAULT_LEASE_MS;
  await condition(() => stored !== undefined, leaseMs, { summary: 'Wait for the answer to store' });
  const answer = usableAnswer(stored);
  return { ...(answer && { answer }), storedAt: new Date().toISOString() };
}
