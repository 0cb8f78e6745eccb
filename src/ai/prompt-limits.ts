/** Bounds on what goes to the model: a PR with thousands of files must not become a huge (and costly) prompt. */
export interface PromptLimits {
  /** Changed files listed one per line; the rest are counted, not listed. */
  readonly maxFiles: number;
  /** Characters of the whole user message. */
  readonly maxChars: number;
  /** Longest path kept (GitHub allows very long ones). */
  readonly maxPathLength: number;
  /** Globs shown per service in the catalogue. */
  readonly maxGlobsPerService: number;
}

export const DEFAULT_PROMPT_LIMITS: PromptLimits = Object.freeze({ maxFiles: 300, maxChars: 24_000, maxPathLength: 200, maxGlobsPerService: 10 });
