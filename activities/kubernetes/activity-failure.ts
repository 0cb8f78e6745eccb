import { ApplicationFailure } from '@temporalio/common';
import { KubernetesApiError } from './kubernetes-api-error';

// How API answers become Temporal failures. Conflicts are transient (another writer won a
// race; the next attempt reads fresh state). Invalid objects and refused permissions do not
// get better by retrying, so they fail at once with the API server's own words.

export const FailureType = {
  Conflict: 'KubernetesConflict',
  Invalid: 'KubernetesInvalid',
  Forbidden: 'KubernetesForbidden',
  Unavailable: 'KubernetesUnavailable',
  ForeignNamespace: 'ForeignNamespace',
  ForeignApplication: 'ForeignApplication',
  NamespaceNotFound: 'NamespaceNotFound',
  /** Non-retryable: a write step found the namespace going away. */
  NamespaceTerminating: 'NamespaceTerminating',
  /** Retryable: ensureNamespace waits out the previous preview of the PR being deleted. */
  NamespaceStillDeleting: 'NamespaceStillDeleting',
  TeardownStuck: 'TeardownStuck',
} as const;

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
  if (err.code === 409) return ApplicationFailure.retryable(err.message, FailureType.Conflict);
  if (err.code === 400 || err.code === 422 || isTypedPatchError(err)) return ApplicationFailure.nonRetryable(err.message, FailureType.Invalid);
  if (err.code === 403) return ApplicationFailure.nonRetryable(err.message, FailureType.Forbidden);
  return ApplicationFailure.retryable(err.message, FailureType.Unavailable);
}

/** Runs an activity body and rethrows API errors as the failures above. */
export async function withApiFailures<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
