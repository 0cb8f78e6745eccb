import { PreviewdError } from './previewd-error';

/** Invalid configuration: raised at start-up, before anything serves. Names the field. */
export class ConfigError extends PreviewdError {
  override readonly name = 'ConfigError';
  readonly httpStatus = 500;
  readonly code = 'invalid_config';

  constructor(
    /** Dotted path of the first offending field (`repositories.0.key`), or `(file)`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
