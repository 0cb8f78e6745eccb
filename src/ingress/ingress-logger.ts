import pino, { type DestinationStream, type Logger } from 'pino';

// Secrets never reach logs: the signature header, auth headers, and every secret-bearing
// config field are censored wherever they are logged from. Payload bodies are never logged.

export const REDACTED_PATHS = [
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers["x-hub-signature-256"]',
  'headers.authorization',
  'signature',
  'config.temporal.apiKey',
  'config.github.webhookSecrets',
  'config.github.auth.token',
  'config.github.auth.privateKey',
  'config.ai.apiKey',
  'temporal.apiKey',
  'github.webhookSecrets',
  'github.auth.token',
  'github.auth.privateKey',
  'ai.apiKey',
  'webhookSecrets',
  'apiKey',
  'token',
  'privateKey',
  'secret',
];

export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  const base = {
    name: options.name ?? 'previewd',
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination ? pino(base, options.destination) : pino(base);
}
