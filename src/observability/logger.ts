import pino, { type DestinationStream, type Logger } from 'pino';
import { previewLogMixin } from './preview-log-fields';
import { traceLogFields } from './trace-log-fields';

// previewd's one logger factory: JSON lines (pino) for the worker, the ingress and dev mode.
// Secrets never reach logs: the signature header, auth headers, every secret-bearing config
// field and the credentials inside client errors are censored wherever they are logged from.
// Payload bodies are never logged.

export const REDACTED_PATHS = [
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers["x-hub-signature-256"]',
  'headers.authorization',
  'headers.cookie',
  'signature',
  'config.temporal.apiKey',
  'config.github.webhookSecrets',
  'config.github.auth.token',
  'config.github.auth.privateKey',
  'config.ai.apiKey',
  'config.databases.admin.password',
  'temporal.apiKey',
  'github.webhookSecrets',
  'github.auth.token',
  'github.auth.privateKey',
  'ai.apiKey',
  'databases.admin.password',
  'webhookSecrets',
  'apiKey',
  'token',
  'privateKey',
  'secret',
  'password',
  // One level down, wherever a secret-bearing object is logged whole.
  '*.apiKey',
  '*.token',
  '*.privateKey',
  '*.secret',
  '*.password',
  '*.webhookSecrets',
  '*.authorization',
  // HTTP client errors (Octokit, the Kubernetes client) carry the request that failed.
  'err.request.headers.authorization',
  'error.request.headers.authorization',
  'err.response.headers.authorization',
  'error.response.headers.authorization',
  // The SDK adds an activity's task token to its log lines: anyone holding it can complete the activity.
  'taskToken',
];

export const REDACTED = '[redacted]';

export interface LoggerOptions {
  readonly level?: string;
  readonly name?: string;
  /** Where lines go; stdout by default (tests pass a stream to read them). */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = {
    name: options.name ?? 'previewd',
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    // Lines about a lifecycle run name its repository and PR (from the workflow id); lines
    // written inside a span name its trace. Fields the line sets itself win (pino's default).
    mixin: (line: object) => ({ ...traceLogFields(), ...previewLogMixin(line) }),
  };
  return options.destination ? pino(base, options.destination) : pino(base);
}
