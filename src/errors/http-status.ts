import { isPreviewdError } from './previewd-error';

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

/** A stable code for replies and metrics. */
export function errorCodeOf(err: unknown): string {
  if (isPreviewdError(err)) return err.code;
  const status = httpStatusOf(err);
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 429) return 'rate_limited';
  return status < 500 ? 'bad_request' : 'internal_error';
}
