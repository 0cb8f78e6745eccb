import { PreviewdError } from './previewd-error';

/** Too many deliveries for one repository; GitHub marks the delivery failed and it can be redelivered. */
export class RateLimitedError extends PreviewdError {
  override readonly name = 'RateLimitedError';
  readonly httpStatus = 429;
  readonly code = 'rate_limited';
}
