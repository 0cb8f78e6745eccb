// Failure types (ApplicationFailure `type`, or an Error's `name`) that retrying cannot fix: the
// request was invalid or refused. Activities normally throw these as non-retryable already;
// listing them in the retry policies as well means a plain `retryable` failure of one of these
// types still stops at once. Transient failures (conflicts, outages, rate limits) are absent
// on purpose: they retry with backoff for as long as it takes, because an outage must never
// turn into a failed (let alone a deleted) preview.

export const NON_RETRYABLE_FAILURE_TYPES = [
  // Kubernetes activities (activities/kubernetes/activity-failure.ts).
  'KubernetesInvalid',
  'KubernetesForbidden',
  'ForeignNamespace',
  'ForeignApplication',
  'NamespaceNotFound',
  'NamespaceTerminating',
  'TeardownStuck',
  // GitHub activities.
  'GitHubPermission',
  'GitHubValidation',
  // Any activity: bad input or missing permission.
  'ValidationError',
  'PermissionError',
] as const;

/** The deploy steps found the namespace gone (deleted by hand): provisioning again fixes it. */
export const NAMESPACE_MISSING_FAILURE_TYPE = 'NamespaceNotFound';
