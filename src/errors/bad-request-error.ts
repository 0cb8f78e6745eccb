import { PreviewdError } from './previewd-error';

/** The request is malformed (not JSON, missing headers): resending it unchanged cannot help. */
export class BadRequestError extends PreviewdError {
  override readonly name = 'BadRequestError';
  readonly httpStatus = 400;
  readonly code = 'bad_request';
}
