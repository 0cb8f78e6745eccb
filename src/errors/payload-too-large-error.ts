import { PreviewdError } from './previewd-error';

export class PayloadTooLargeError extends PreviewdError {
  override readonly name = 'PayloadTooLargeError';
  readonly httpStatus = 413;
  readonly code = 'payload_too_large';
}
