// Every error previewd raises on purpose, in one catalogue (as Fastify keeps its own in
// lib/errors.js): a stable code, the HTTP status it means at the edge (the webhook ingress),
// and the class that is thrown. Handlers throw these; one error handler turns them into
// replies, so a status code is chosen in exactly one place per error kind.

/** code → HTTP status. Codes are part of the ingress's replies and metric labels: never rename one. */
export const ERROR_CATALOGUE = {
  /** Invalid configuration: raised at start-up, before anything serves. */
  invalid_config: 500,
  /**
   * The worker's Temporal namespace lacks previewd's search attributes (or has one with another
   * type): raised at worker start, before it polls, because every workflow task would fail.
   */
  search_attributes_missing: 500,
  /** The request is malformed (not JSON, missing headers): resending it unchanged cannot help. */
  bad_request: 400,
  /** Missing or wrong webhook signature. The reply never says which secret was tried. */
  unauthorized: 401,
  /** Fastify's own refusals (body limit, content type) keep their status and get these codes. */
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** Too many deliveries for one repository; GitHub marks the delivery failed and it can be redelivered. */
  rate_limited: 429,
  internal_error: 500,
  /**
   * Temporal did not durably accept the event (unreachable, timed out). 503 makes GitHub mark
   * the delivery failed, so it can be redelivered; a 2xx would lose the event.
   */
  temporal_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export abstract class PreviewdError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  get httpStatus(): number {
    return ERROR_CATALOGUE[this.code];
  }
}

export class ConfigError extends PreviewdError {
  override readonly name = 'ConfigError';
  readonly code = 'invalid_config';

  constructor(
    /** Dotted path of the first offending field (`repositories.0.key`), or `(file)`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** One of previewd's search attributes as the namespace has it: absent, or registered with another type. */
export interface SearchAttributeProblem {
  readonly name: string;
  /** The type previewd upserts, spelled as the CLI spells it (`Keyword`, `Int`, `Datetime`). */
  readonly expected: string;
  /** Absent: not registered at all. */
  readonly actual?: string;
}

export class SearchAttributesMissingError extends PreviewdError {
  override readonly name = 'SearchAttributesMissingError';
  readonly code = 'search_attributes_missing';

  constructor(
    readonly namespace: string,
    readonly problems: readonly SearchAttributeProblem[],
    message: string,
  ) {
    super(message);
  }
}

export class BadRequestError extends PreviewdError {
  override readonly name = 'BadRequestError';
  readonly code = 'bad_request';
}

export class UnauthorizedError extends PreviewdError {
  override readonly name = 'UnauthorizedError';
  readonly code = 'unauthorized';
}

export class RateLimitedError extends PreviewdError {
  override readonly name = 'RateLimitedError';
  readonly code = 'rate_limited';
}

export class TemporalUnavailableError extends PreviewdError {
  override readonly name = 'TemporalUnavailableError';
  readonly code = 'temporal_unavailable';
}

export function isPreviewdError(err: unknown): err is PreviewdError {
  return err instanceof PreviewdError;
}

/** Fastify's own errors (body limit, content type) carry `statusCode`; keep theirs when it is a client error. */
function fastifyStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('statusCode' in err)) return undefined;
  const status = err.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** The HTTP status an error means at the edge; anything unknown is a 500. */
export function httpStatusOf(err: unknown): number {
  if (isPreviewdError(err)) return err.httpStatus;
  return fastifyStatus(err) ?? 500;
}

/** A stable code for replies and metrics: the catalogue's code for the status, else a generic one. */
export function errorCodeOf(err: unknown): ErrorCode {
  if (isPreviewdError(err)) return err.code;
  const status = httpStatusOf(err);
  const known = (['payload_too_large', 'unsupported_media_type', 'rate_limited'] as const).find((code) => ERROR_CATALOGUE[code] === status);
  return known ?? (status < 500 ? 'bad_request' : 'internal_error');
}
