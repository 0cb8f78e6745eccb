/** A non-2xx answer of the API server, with its `Status` reason and message. */
export class KubernetesApiError extends Error {
  override readonly name = 'KubernetesApiError';

  constructor(
    readonly code: number,
    readonly reason: string | undefined,
    readonly apiMessage: string,
    readonly operation: string,
  ) {
    super(`${operation}: ${code}${reason ? ` ${reason}` : ''}: ${apiMessage}`);
  }

  static fromResponse(operation: string, status: number, body: unknown): KubernetesApiError {
    const s = (typeof body === 'object' && body !== null ? body : {}) as { reason?: string; message?: string };
    const message = s.message ?? (typeof body === 'string' && body !== '' ? body : 'no message');
    return new KubernetesApiError(status, s.reason, message, operation);
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubernetesApiError && err.code === 404;
}
