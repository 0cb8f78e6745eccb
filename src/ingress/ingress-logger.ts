// The ingress logs through previewd's shared logger (src/observability), redaction included.
export { createLogger, REDACTED_PATHS, type LoggerOptions } from '../observability/logger';
