export { createAiActivities, type AiActivities, type AiActivityDeps } from './create-ai-activities';
export { type ServiceChoice } from './choose-services';
export { createOpenAiDetector, AiUnavailableError, DEFAULT_AI_TIMEOUT_MS, DEFAULT_AI_PER_MINUTE, type AiDetectorOptions, type AiDetection, type ServiceDetector } from './openai-detector';
export { temporalAnswerCache, withAnswerCache, type AnswerCache, type TemporalAnswerCacheOptions } from './answer-cache';
export {
  AiMetrics,
  AI_OUTCOMES,
  AI_REQUESTS_METRIC,
  AI_REQUEST_DURATION_METRIC,
  AI_TOKENS_METRIC,
  AI_CACHE_ERRORS_METRIC,
  type AiOutcome,
  type AiCallOutcome,
  type TokenUsage,
} from './ai-metrics';
