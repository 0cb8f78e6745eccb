import type { RepositoryConfig, ServiceConfig } from '../src/config';
import type { ReportSnapshot } from '../src/github';

// The activities the lifecycle workflow calls, as one interface: the workflow proxies it, the
// real implementations (Kubernetes, GitHub, cost, service choice) and the test doubles satisfy
// it. Types only: the workflow bundle may import nothing else from activities/.
//
// Rules every implementation follows:
// - Idempotent: any call may run more than once (retries, replays of a crashed worker).
// - Failures that retrying cannot fix (invalid object, missing permission, foreign namespace)
//   are thrown as non-retryable ApplicationFailures whose `type` is one of
//   NON_RETRYABLE_FAILURE_TYPES (src/lifecycle/failure-types.ts). Everything else is retried
//   with backoff, for as long as it takes: an outage must never end a preview.
// - Long waits (readiness, teardown) heartbeat and stop promptly when cancelled.

/** Which preview a call is about. `repoKey` is the operator's key for the repository, never PR data. */
export interface PreviewRef {
  /** `owner/repo`, for annotations and messages. */
  readonly repository: string;
  readonly repoKey: string;
  readonly prNumber: number;
}

// --- Kubernetes and Argo CD (activities/kubernetes) ------------------------------------------

export interface EnsureNamespaceInput {
  readonly preview: PreviewRef;
  readonly headSha: string;
  readonly workflowId: string;
  /** ISO-8601 expiry at creation, for the namespace annotation (the workflow owns the timer). */
  readonly expiresAt: string;
}

export interface EnsureNamespaceResult {
  readonly namespace: string;
  readonly created: boolean;
}

export interface ApplyBaselineInput {
  readonly preview: PreviewRef;
}

export interface ApplyBaselineResult {
  readonly namespace: string;
}

export interface DeployAppsInput {
  readonly preview: PreviewRef;
  readonly headSha: string;
  /** The rollout phase being deployed; `services` holds exactly that phase's services. */
  readonly phase: number;
  readonly services: readonly ServiceConfig[];
}

export interface DeployAppsResult {
  readonly namespace: string;
  readonly applications: readonly { readonly service: string; readonly application: string }[];
  /** One entry per exposed service among `services`. */
  readonly routes: readonly { readonly service: string; readonly url: string }[];
}

export interface WaitReadyInput {
  readonly preview: PreviewRef;
  readonly headSha: string;
  /** Names of the services to wait for (one rollout phase). */
  readonly services: readonly string[];
  /** Give up after this long and report the per-service states (not an error). */
  readonly timeoutMs: number;
}

export interface ServiceReadiness {
  readonly service: string;
  readonly state: 'Ready' | 'Progressing' | 'Degraded' | 'Missing';
  readonly message?: string;
  /** A sync of the desired source failed: waiting longer will not make it ready. */
  readonly terminal: boolean;
}

export interface WaitReadyResult {
  /** Every service Synced + Healthy for `headSha`. */
  readonly ready: boolean;
  readonly services: readonly ServiceReadiness[];
}

export interface TeardownInput {
  readonly preview: PreviewRef;
}

export interface TeardownResult {
  readonly namespace: string;
  /** False when the namespace was already gone. */
  readonly namespaceDeleted: boolean;
}

// --- Service choice, cost, GitHub -------------------------------------------------------------

export interface ChooseServicesInput {
  readonly preview: PreviewRef;
  readonly headSha: string;
  readonly scope: RepositoryConfig['scope'];
  readonly services: readonly ServiceConfig[];
}

export interface ChooseServicesResult {
  /** Names of the services to deploy; unknown names are ignored by the workflow. */
  readonly services: readonly string[];
}

export interface ComputeCostInput {
  readonly preview: PreviewRef;
  /** ISO-8601, to project the cost to. */
  readonly expiresAt: string;
}

export interface CostEstimate {
  readonly currency: string;
  readonly perHour: number;
  readonly projectedToExpiry: number;
}

/**
 * A snapshot of the preview for GitHub: commit status, deployment status and the sticky comment.
 * Its fields are declared once, as the pure reporting code's `ReportSnapshot`; the workflow's
 * report carries the full preview reference on top.
 */
export interface PreviewReport extends ReportSnapshot {
  readonly preview: PreviewRef;
}

export interface PreviewActivities {
  /** Creates or updates the PR namespace (create-only first, so a foreign namespace is never adopted). */
  ensureNamespace(input: EnsureNamespaceInput): Promise<EnsureNamespaceResult>;
  /** NetworkPolicy, ResourceQuota, LimitRange, optional pull secret and bindings. */
  applyBaseline(input: ApplyBaselineInput): Promise<ApplyBaselineResult>;
  /** Affected services (static globs, optionally AI); the workflow falls back to all on failure. */
  chooseServices(input: ChooseServicesInput): Promise<ChooseServicesResult>;
  /** One Argo CD Application per service of one rollout phase, plus routes of exposed services. */
  deployApps(input: DeployAppsInput): Promise<DeployAppsResult>;
  /** Heartbeating poll until every service is ready for `headSha`, a sync fails, or `timeoutMs`. */
  waitReady(input: WaitReadyInput): Promise<WaitReadyResult>;
  /** Requests of the namespace's workloads × rates. */
  computeCost(input: ComputeCostInput): Promise<CostEstimate>;
  /** Commit status, deployment status and sticky comment. Never blocks the lifecycle. */
  reportPreview(report: PreviewReport): Promise<void>;
  /** Applications (waiting for their finalizers), routes, then the namespace until it is gone. */
  teardown(input: TeardownInput): Promise<TeardownResult>;
}

export type PreviewActivityName = keyof PreviewActivities;
