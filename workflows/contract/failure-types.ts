// The failure types activities (and the workflow itself) fail with: the `type` of an
// ApplicationFailure, or an Error's `name`. Declared once, so a thrower and a retry policy can
// never disagree on a spelling.

export const FailureType = {
  // Kubernetes and Argo CD (activities/kubernetes).
  /** Another writer won a race; the next attempt reads fresh state. Retryable. */
  KubernetesConflict: 'KubernetesConflict',
  /** The API server refused the object (400, 422, a typed-patch 500). */
  KubernetesInvalid: 'KubernetesInvalid',
  KubernetesForbidden: 'KubernetesForbidden',
  /** Anything else from the API server: an outage. Retryable. */
  KubernetesUnavailable: 'KubernetesUnavailable',
  ForeignNamespace: 'ForeignNamespace',
  ForeignApplication: 'ForeignApplication',
  /** A deploy step found the namespace gone (deleted by hand): the workflow provisions again. */
  NamespaceNotFound: 'NamespaceNotFound',
  /** A write step found the namespace going away. */
  NamespaceTerminating: 'NamespaceTerminating',
  /** ensureNamespace waits out the previous preview of the PR being deleted. Retryable. */
  NamespaceStillDeleting: 'NamespaceStillDeleting',
  TeardownStuck: 'TeardownStuck',
  // GitHub (activities/github).
  GitHubPermission: 'GitHubPermission',
  GitHubValidation: 'GitHubValidation',
  /** Retryable after the wait GitHub's headers ask for. */
  GitHubRateLimited: 'GitHubRateLimited',
  GitHubUnavailable: 'GitHubUnavailable',
  /** No GitHub credentials configured: thrown non-retryable by the changed-files lookup. */
  GitHubNotConfigured: 'GitHubNotConfigured',
  /** Janitor activities built without a Temporal client: thrown non-retryable. */
  JanitorNotConfigured: 'JanitorNotConfigured',
  /** The PR's image lock file is missing, too large, malformed, or pins what it may not. */
  ImageLockInvalid: 'ImageLockInvalid',
  // Per-preview databases (activities/database).
  /** A namespace or name previewd refuses to derive a database from, or bootstrap input refused before any change. */
  DatabaseNameRefused: 'DatabaseNameRefused',
  /** A login was refused: wrong admin password, or pg_hba.conf has no entry for it. */
  DatabaseAuthFailed: 'DatabaseAuthFailed',
  /** The admin lacks a privilege (CREATEROLE, CREATEDB, membership). */
  DatabasePermissionDenied: 'DatabasePermissionDenied',
  /** The name is taken by something previewd did not create for this preview. */
  ForeignDatabase: 'ForeignDatabase',
  /** The schema bootstrap SQL failed, timed out, was too large, missing, or controlled the transaction itself. */
  DatabaseBootstrapFailed: 'DatabaseBootstrapFailed',
  /** The server is older than previewd supports. */
  DatabaseServerUnsupported: 'DatabaseServerUnsupported',
  /** The role still owns objects or holds privileges in other databases. */
  DatabaseRoleInUse: 'DatabaseRoleInUse',
  /** Any other error the server calls permanent (invalid statement, data or definition). */
  DatabaseInvalid: 'DatabaseInvalid',
  /** Retryable: another attempt holds this name's lock. */
  DatabaseBusy: 'DatabaseBusy',
  /** Retryable: the server is unreachable, starting, overloaded, or a concurrent change won. */
  DatabaseUnavailable: 'DatabaseUnavailable',
  /** The repository asks for a database but the worker has no `databases` section: thrown non-retryable. */
  DatabaseNotConfigured: 'DatabaseNotConfigured',
  // Any activity, and the workflow's own refusals.
  ValidationError: 'ValidationError',
  PermissionError: 'PermissionError',
} as const;

export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/**
 * Failure types that retrying cannot fix: the request was invalid or refused. Activities
 * normally throw these as non-retryable already; listing them in the retry policies as well
 * means a plain retryable failure of one of these types still stops at once. Transient types
 * (conflicts, outages, rate limits) are absent on purpose: they retry with backoff for as long
 * as it takes, because an outage must never turn into a failed (let alone a deleted) preview.
 * The `…NotConfigured` types are absent because their throwers always mark them non-retryable.
 */
export const NON_RETRYABLE_FAILURE_TYPES: readonly FailureTypeName[] = [
  FailureType.KubernetesInvalid,
  FailureType.KubernetesForbidden,
  FailureType.ForeignNamespace,
  FailureType.ForeignApplication,
  FailureType.NamespaceNotFound,
  FailureType.NamespaceTerminating,
  FailureType.TeardownStuck,
  FailureType.GitHubPermission,
  FailureType.GitHubValidation,
  FailureType.ImageLockInvalid,
  FailureType.DatabaseNameRefused,
  FailureType.DatabaseAuthFailed,
  FailureType.DatabasePermissionDenied,
  FailureType.ForeignDatabase,
  FailureType.DatabaseBootstrapFailed,
  FailureType.DatabaseServerUnsupported,
  FailureType.DatabaseRoleInUse,
  FailureType.DatabaseInvalid,
  FailureType.ValidationError,
  FailureType.PermissionError,
];
