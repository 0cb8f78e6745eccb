import { PreviewdError } from './previewd-error';

/** Missing or wrong webhook signature. The reply never says which secret was tried. */
export class UnauthorizedError extends PreviewdError {
  override readonly name = 'UnauthorizedError';
  readonly httpStatus = 401;
  readonly code = 'unauthorized';
}
