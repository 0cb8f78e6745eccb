// Every error previewd raises on purpose carries the HTTP status it means at the edge (the
// webhook ingress) and a stable `code`. Handlers throw these; one error handler turns them into
// replies, so a status code is chosen in exactly one place per error kind.

export abstract class PreviewdError extends Error {
  abstract readonly httpStatus: number;
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isPreviewdError(err: unknown): err is PreviewdError {
  return err instanceof PreviewdError;
}
