export { createAiActivities, type AiActivities, type AiActivityDeps } from './create-ai-activities';
export { type ServiceChoice } from './choose-services';
export { createOpenAiDetector, AiUnavailableError, DEFAULT_AI_TIMEOUT_MS, DEFAULT_AI_PER_MINUTE, type AiDetectorOptions, type AiDetection, type ServiceDetector } from './openai-detector';
