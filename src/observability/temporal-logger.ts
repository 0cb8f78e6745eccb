import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from 'pino';

// The Temporal SDK's logger interface on top of pino: SDK, workflow (`log` from
// @temporalio/workflow) and activity (`log` from @temporalio/activity) lines become previewd's
// JSON lines, with the SDK's attributes (workflowId, activityType, attempt…) as fields and
// previewd's redaction. The target can be swapped because the SDK's runtime takes its logger
// once per process.

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** String keys only (the SDK adds a symbol timestamp), and errors under `err` so pino serializes them. */
export function pinoFields(meta: LogMetadata | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (!meta) return fields;
  for (const [key, value] of Object.entries(meta)) {
    if (key === 'error' && value instanceof Error) fields.err = value;
    else fields[key] = value;
  }
  return fields;
}

/** Sees every forwarded line (e.g. to count Core's warnings); must not throw. */
export type TemporalLogListener = (level: LogLevel, message: string, meta?: LogMetadata) => void;

export class TemporalPinoLogger implements TemporalLogger {
  private readonly listeners = new Set<TemporalLogListener>();

  constructor(public target: Logger) {}

  /** Adds a listener; the returned function removes it. */
  listen(listener: TemporalLogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const method = LEVELS[level] ?? 'info';
    this.target[method](pinoFields(meta), message);
    for (const listener of this.listeners) listener(level, message, meta);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }

  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }

  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }

  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }

  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
