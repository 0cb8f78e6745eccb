// AI service detection as pure parts: the bounded prompt, the structured-output schema, the
// check of the model's answer, the per-minute cap and key redaction. activities/ai calls the model.
export { DEFAULT_PROMPT_LIMITS, type PromptLimits } from './prompt-limits';
export { SYSTEM_PROMPT, PROMPT_VERSION, buildServicePrompt, type ServicePromptInput, type ServicePrompt } from './service-prompt';
export { answerCacheKey, type AnswerCacheKeyInput } from './answer-cache-key';
export { ANSWER_SCHEMA_NAME, answerJsonSchema } from './answer-schema';
export { AiAnswerError, parseAiAnswer, type AiAnswer } from './parse-answer';
export { PerMinuteLimiter } from './per-minute-limiter';
export { redactApiKey } from './secret-redaction';
