import { createHash } from 'node:crypto';
import { PROMPT_VERSION, type ServicePrompt } from './service-prompt';

// The AI answer cache's key (seed 004: "Cache responses for 1 hour per diff hash"). It hashes
// exactly what the model is shown, which is the diff as the chooser sees it (paths, statuses,
// renames, line counts, as far as the prompt's bounds list them) together with the repository
// and its service catalogue, plus the answer schema's names, the model and the prompt version.
// Two previews get the same answer only when the model would have been asked the same question.

export interface AnswerCacheKeyInput {
  readonly model: string;
  readonly prompt: Pick<ServicePrompt, 'system' | 'user'>;
  /** The catalogue names the answer schema allows. */
  readonly serviceNames: readonly string[];
}

/** 64 hex characters (SHA-256). */
export function answerCacheKey(input: AnswerCacheKeyInput): string {
  const material = JSON.stringify({ v: PROMPT_VERSION, model: input.model, system: input.prompt.system, user: input.prompt.user, names: [...input.serviceNames] });
  return createHash('sha256').update(material, 'utf8').digest('hex');
}
