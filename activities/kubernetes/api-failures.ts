import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../workflows/contract';
import { KubernetesApiError } from './kubernetes-api-error';

// How API answers become Temporal failures. Conflicts are transient (another writer won a
// race; the next attempt reads fresh state). Invalid objects and refused permissions do not
// get better by retrying, so they fail at once with the API server's own words. The failure
// types are the workflow contract's FailureType.

/**
 * Server-side apply checks field types against the schema before validation runs, and reports
 * a mismatch (`.spec.destination: expected map, got …`) as a 500, not a 422. It is just as
 * permanent, so it must not be retried like an outage.
 */
function isTypedPatchError(err: KubernetesApiError): boolean {
  return err.code === 500 && err.apiMessage.startsWith('failed to create typed patch object');
}

export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof KubernetesApiError)) return err;
  if (err.code === 409) return ApplicationFailure.retryable(err.message, FailureType.KubernetesConflict);
  if (err.code === 400 || err.code === 422 || isTypedPatchError(err)) return ApplicationFailure.nonRetryable(err.message, FailureType.KubernetesInvalid);
  if (err.code === 403) return ApplicationFailure.nonRetryable(err.message, FailureType.KubernetesForbidden);
  return ApplicationFailure.retryable(err.message, FailureType.KubernetesUnavailable);
}

/** Runs an activity body and rethrows API errors as the failures above. */
export async function withApiFailures<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
