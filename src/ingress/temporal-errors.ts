import { isGrpcServiceError, ServiceError, WorkflowNotFoundError } from '@temporalio/client';

// How a failed Temporal call is answered. "Not durably accepted for a reason that may pass"
// (unreachable, overloaded, deadline) is a 503 so GitHub lets the delivery be redelivered.

// gRPC status codes: CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE.
const TRANSIENT_GRPC_CODES: ReadonlySet<number> = new Set([1, 4, 8, 10, 13, 14]);

function grpcCode(err: unknown): number | undefined {
  if (isGrpcServiceError(err)) return err.code;
  if (err instanceof ServiceError && err.cause) return grpcCode(err.cause);
  if (err instanceof Error && err.cause) return grpcCode(err.cause);
  return undefined;
}

export type TemporalOutcome = 'ok' | 'not_found' | 'unavailable' | 'error';

export function classifyTemporalError(err: unknown): Exclude<TemporalOutcome, 'ok'> {
  if (err instanceof WorkflowNotFoundError) return 'not_found';
  const code = grpcCode(err);
  // NOT_FOUND also means "already completed" for a signal: the preview is gone, which is fine.
  if (code === 5) return 'not_found';
  if (code !== undefined && TRANSIENT_GRPC_CODES.has(code)) return 'unavailable';
  // A connection that was never established surfaces as a plain error from the transport.
  if (err instanceof Error && /unavailable|deadline|ECONNREFUSED|connect|timed out|timeout/i.test(err.message)) return 'unavailable';
  return 'error';
}
