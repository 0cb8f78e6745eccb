import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { previewWorkflowId } from '../lifecycle';
import { CliError, EXIT } from './cli-io';

// Temporal's errors in words: "no preview" instead of a gRPC NOT_FOUND.

export function noPreview(repository: string, number: number): CliError {
  return new CliError(`no preview of ${repository}#${number} (no workflow ${JSON.stringify(previewWorkflowId({ repository, number }))})`, EXIT.failed);
}

export async function orNoPreview<T>(ref: { repository: string; number: number }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw noPreview(ref.repository, ref.number);
    throw err;
  }
}

/** The validator's or handler's own reason for rejecting an update. */
export function updateRejection(err: unknown): string | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  return err.cause?.message ?? err.message;
}
