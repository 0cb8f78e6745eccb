import { PreviewdError } from './previewd-error';

/**
 * Temporal did not durably accept the event (unreachable, timed out). 503 makes GitHub mark the
 * delivery failed, so it can be redelivered; a 2xx would lose the event.
 */
export class TemporalUnavailableError extends PreviewdError {
  override readonly name = 'TemporalUnavailableError';
  readonly httpStatus = 503;
  readonly code = 'temporal_unavailable';
}
