export * from './prompt-limits';
export * from './service-prompt';
export * from './answer-schema';
export * from './parse-answer';
export * from './per-minute-limiter';
export * from './secret-redaction';
