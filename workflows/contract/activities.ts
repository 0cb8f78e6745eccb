import type { ImageSelection, RepositoryConfig, ServiceConfig } from '../../src/config/repository';
import type { PreviewPhase } from './search-attributes';

// The activities the lifecycle workflow calls, as one interface with every input and result:
// the workflow proxies it, the real implementations (activities/) are checked against it at
// compile time, and the test doubles implement it. What an activity returns lands in history,
// so these shapes are part of the workflow contract.
//
// Rules every implementation follows:
// - Idempotent: any call may run more than once (retries, replays of a crashed worker).
// - Failures that retrying cannot fix (invalid object, missing permission, foreign namespace)
//   are thrown as non-retryable ApplicationFailures whose `type` is one of
//   NON_RETRYABLE_FAILURE_TYPES (failure-types.ts). Everything else is retried with backoff,
//   for as long as it takes: an outage must never end a preview.
// - No activity waits on the cluster: readiness and teardown are single checks (checkReady,
//   teardownStep) and the workflow waits between them on durable timers, woken early by the
//   worker's cluster watch. The long-polling waitReady and teardown remain for runs started
//   before that change (they heartbeat and stop promptly when cancelled).

/**
 * Which preview a call is about. `repoKey` is the operator-configured key of the repository
 * (`RepositoryConfig.key`), never a name taken from the PR; `repository` is the `owner/repo`
 * spelling, used only in annotations and messages for people to read.
 */
export interface PreviewRef {
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
  /** `Kind namespace/name` of every applied object. */
  readonly objects: readonly string[];
}

/** What the preview runs: the PR head as image tag, or a pinned digest (seed 000 prefers digests). */
export type ImageSelector = { readonly tag: string } | { readonly digest: string };

export interface DeployAppsInput {
  readonly preview: PreviewRef;
  readonly headSha: string;
  /** Only services of this rollout phase are deployed (the workflow always says which); all given services when absent. */
  readonly phase?: number;
  readonly services: readonly ServiceConfig[];
  /** Per service, a digest (or tag) to deploy instead of the head SHA tag. */
  readonly images?: Readonly<Record<string, ImageSelector>>;
  /**
   * Ask Argo CD for a sync even if nothing in the Applications changed (`/preview redeploy`):
   * its automated sync never retries a commit and parameters whose sync already failed.
   */
  readonly requestSync?: boolean;
  /**
   * Set on a round's last phase: every service the round deploys. This preview's Applications
   * (previewd's ownership labels, destination its namespace) of any other service are deleted,
   * so Argo CD prunes what they deployed, together with their routes. Absent: nothing is deleted.
   */
  readonly keep?: readonly string[];
}

export interface ResolveImagesInput {
  readonly preview: PreviewRef;
  readonly headSha: string;
  /** The repository's `images` (a mode that reads the lock file). */
  readonly selection: ImageSelection;
  /** Every configured service: lock entries are checked against these. */
  readonly services: readonly ServiceConfig[];
}

/**
 * The digests the PR's lock file pins, read once per head and kept in history, so a retry or a
 * replay never reads the file again (and never sees a different one).
 */
export interface ResolveImagesResult {
  readonly lockFile: string;
  readonly headSha: string;
  /** Git blob SHA of the lock file that was read, to trace the deploy back to it. */
  readonly blobSha: string;
  readonly images: Readonly<Record<string, { readonly digest: string }>>;
}

export interface DeployedApp {
  readonly service: string;
  readonly application: string;
  readonly phase: number;
}

export interface DeployAppsResult {
  readonly namespace: string;
  readonly applications: readonly DeployedApp[];
  /** One entry per exposed service among `services`. */
  readonly routes: readonly DeployedRoute[];
  /** With `keep`: the services whose Applications are being deleted (deletion issued, or already under way). */
  readonly pruned?: readonly string[];
}

export interface DeployedRoute {
  readonly service: string;
  readonly url: string;
  /**
   * A route object (HTTPRoute or Ingress) was applied: the URL is shown only once its Gateway
   * (or ingress controller) has accepted it, which readiness reports. False when the cluster has
   * no route kind configured and the URL is informational.
   */
  readonly awaitsAcceptance?: boolean;
}

/** Whether the route of an exposed service is accepted, as its Gateway or ingress controller says. */
export interface RouteState {
  readonly url: string;
  readonly accepted: boolean;
  /** Why it is not accepted (yet): the Gateway's condition, or what is missing. */
  readonly message?: string;
}

export interface WaitReadyInput {
  readonly preview: PreviewRef;
  readonly headSha: string;
  /** Names of the services to wait for (one rollout phase). */
  readonly services: readonly string[];
  /** Give up after this long and report the per-service states (not an error); the cluster's `timeouts.readyMs` when absent. */
  readonly timeoutMs?: number;
}

export type ServiceReadinessState = 'Ready' | 'Progressing' | 'Degraded' | 'Missing';

/** One service's readiness for the desired head SHA and source (Argo CD status lags spec). */
export interface ServiceReadiness {
  readonly service: string;
  readonly application: string;
  readonly state: ServiceReadinessState;
  readonly syncStatus?: string;
  readonly healthStatus?: string;
  /** Revision Argo CD synced (`status.sync.revision`). */
  readonly revision?: string;
  /** Why it is not ready, in words a PR author can act on. */
  readonly message?: string;
  /** A sync of the desired source failed: waiting longer will not make it ready. */
  readonly terminal: boolean;
  /** The service's route, when it has one: a service is Ready only once its route is accepted. */
  readonly route?: RouteState;
}

export type ReadyOutcome = 'Ready' | 'Degraded' | 'TimedOut';

export interface WaitReadyResult {
  /** Every service Synced + Healthy for `headSha`. */
  readonly ready: boolean;
  readonly outcome: ReadyOutcome;
  readonly services: readonly ServiceReadiness[];
}

/**
 * When the workflow should look again after a check that found the cluster not there yet: the
 * worker's `cluster.timeouts.pollIntervalMs`, doubling up to `maxPollIntervalMs`. It comes
 * with each result (so it is in history and the workflow stays deterministic) because the
 * cadence is the cluster's business, not the repository's.
 */
export interface Recheck {
  readonly afterMs: number;
  readonly maxAfterMs: number;
}

/** One look at a rollout phase's Applications; the workflow waits between looks on a durable timer. */
export interface CheckReadyInput {
  readonly preview: PreviewRef;
  readonly headSha: string;
  /** Names of the services to check (one rollout phase). */
  readonly services: readonly string[];
}

export interface CheckReadyResult {
  /** Every service Synced + Healthy for `headSha`. */
  readonly ready: boolean;
  /** `Degraded` when a sync of the desired source failed (terminal), `Progressing` otherwise. */
  readonly outcome: 'Ready' | 'Degraded' | 'Progressing';
  readonly services: readonly ServiceReadiness[];
  readonly recheck: Recheck;
}

export interface TeardownInput {
  readonly preview: PreviewRef;
}

export interface TeardownResult {
  readonly namespace: string;
  readonly deletedApplications: readonly string[];
  readonly deletedRoutes: readonly string[];
  /** False when the namespace was already gone before this run. */
  readonly namespaceDeleted: boolean;
  readonly durationMs: number;
}

/**
 * Where a teardown stands after one `teardownStep`: Applications still being pruned by Argo CD,
 * the namespace still terminating, or everything gone.
 */
export type TeardownStage = 'applications' | 'namespace' | 'gone';

export interface TeardownStepResult {
  readonly namespace: string;
  readonly stage: TeardownStage;
  /** What is still there (Application names, or the namespace), for the status and the stuck error. */
  readonly waitingFor: readonly string[];
  /** Words for the stuck error: the Applications' finalizers, the namespace's conditions. */
  readonly detail?: string;
  /** This step issued the namespace's deletion (so the preview did delete it). */
  readonly namespaceDeletionIssued: boolean;
  /** The namespace existed when this step looked. */
  readonly namespaceExisted: boolean;
  /**
   * How long this stage may last, from when the workflow first saw it, before the teardown is
   * stuck (`cluster.timeouts.applicationDeletionMs` / `namespaceDeletionMs`); 0 when gone.
   */
  readonly stuckAfterMs: number;
  readonly recheck: Recheck;
}

// --- Service choice, cost, GitHub -------------------------------------------------------------

export interface ChooseServicesInput {
  readonly preview: PreviewRef;
  readonly headSha: string;
  readonly scope: RepositoryConfig['scope'];
  readonly services: readonly ServiceConfig[];
}

/** Implementations may add how they chose (activities/ai's ServiceChoice); the workflow reads the names. */
export interface ChooseServicesResult {
  /** Names of the services to deploy; unknown names are ignored by the workflow. */
  readonly services: readonly string[];
}

export interface ComputeCostInput {
  readonly preview: PreviewRef;
  /** ISO-8601, to project the cost to. */
  readonly expiresAt: string;
}

/**
 * The projected cost against the operator's per-preview budget (`budget` in the worker config).
 * `exceeded` with `action: 'block'` stops deploys: the preview turns Blocked.
 */
export type BudgetVerdict =
  | { readonly status: 'within' | 'unbounded' }
  | { readonly status: 'exceeded'; readonly action: 'warn' | 'block'; readonly limit: number; readonly projected: number; readonly message: string };

/** Implementations may add the breakdown (activities/cost's CostReport); the workflow reads these. */
export interface CostEstimate {
  readonly currency: string;
  readonly perHour: number;
  readonly projectedToExpiry: number;
  /** The budget check of this estimate; absent from implementations (and histories) without one, which never block. */
  readonly budget?: BudgetVerdict;
}

/** A snapshot of the preview for GitHub: commit status, deployment status and the sticky comment. */
export interface PreviewReport {
  readonly workflowId: string;
  readonly preview: PreviewRef;
  /** The head the preview should run (the PR's latest). */
  readonly headSha: string;
  /**
   * The head whose deploy round last completed. A Ready/Degraded phase that belongs to an older
   * head is shown as "queued" for `headSha` instead of passing the old head's verdict to the new one.
   */
  readonly deployedHeadSha?: string;
  readonly phase: PreviewPhase;
  /** Why it failed, degraded or was torn down. */
  readonly reason?: string;
  readonly namespace?: string;
  readonly urls: readonly { readonly service: string; readonly url: string }[];
  readonly services: readonly { readonly name: string; readonly state: string; readonly url?: string; readonly message?: string }[];
  readonly cost?: CostEstimate;
  readonly expiresAt: string;
  readonly hardCapAt: string;
  /** The last report of this preview (after teardown): deployments go inactive. */
  readonly final: boolean;
}

export interface ReadPullRequestInput {
  readonly preview: PreviewRef;
  /**
   * The stamp of the event that would bring the preview up: comments written since are read for
   * a `/preview destroy` whose webhook never reached this run. Absent: comments are not read.
   */
  readonly since?: string;
}

/**
 * The pull request as GitHub's REST API answers right now, read at a step boundary so the
 * answer lands in history: a late or redelivered webhook can then never bring up a preview of a
 * PR that is closed, unlabelled or at another head. `configured: false` when previewd has no
 * GitHub credentials: the event stamps alone decide then.
 */
export type PullRequestReading =
  | { readonly configured: false }
  | {
      readonly configured: true;
      readonly state: 'open' | 'closed';
      readonly draft: boolean;
      readonly labels: readonly string[];
      readonly headSha: string;
      /** ISO-8601 `updated_at`. */
      readonly updatedAt: string;
      /** The newest `/preview destroy` by a member written at or after `since`. */
      readonly destroyCommand?: { readonly at: string; readonly by: string };
    };

// --- CI gate (activities/github/checks.ts) ----------------------------------------------------

export interface ReadChecksInput {
  readonly preview: PreviewRef;
  readonly headSha: string;
  /** The names the gate waits for: only these are returned, so history stays small. */
  readonly names: readonly string[];
}

/** One check run as GitHub's check-runs API lists it (only what the gate decides on). */
export interface CheckRunSeen {
  readonly id: number;
  readonly name: string;
  /** `queued`, `in_progress`, `completed`, `waiting`, `requested`, `pending`. */
  readonly status: string;
  /** Set once completed: `success`, `failure`, `neutral`, `cancelled`, `skipped`, `timed_out`, `action_required`, `stale`, … */
  readonly conclusion: string | null;
}

/** One commit status context as the combined-status API gives it (the latest per context). */
export interface CommitStatusSeen {
  readonly context: string;
  readonly state: 'pending' | 'success' | 'failure' | 'error';
}

export interface ChecksReading {
  readonly headSha: string;
  readonly checkRuns: readonly CheckRunSeen[];
  readonly statuses: readonly CommitStatusSeen[];
}

export interface PreviewActivities {
  /** Creates or updates the PR namespace (create-only first, so a foreign namespace is never adopted). */
  ensureNamespace(input: EnsureNamespaceInput): Promise<EnsureNamespaceResult>;
  /** NetworkPolicy, ResourceQuota, LimitRange, optional pull secret and bindings. */
  applyBaseline(input: ApplyBaselineInput): Promise<ApplyBaselineResult>;
  /** The PR's digest lock file at the head SHA, checked against the configured services (only for modes that read it). */
  resolveImages(input: ResolveImagesInput): Promise<ResolveImagesResult>;
  /** Affected services (static globs, optionally AI); the workflow falls back to all on failure. */
  chooseServices(input: ChooseServicesInput): Promise<ChooseServicesResult>;
  /** One Argo CD Application per service of one rollout phase, plus routes of exposed services. */
  deployApps(input: DeployAppsInput): Promise<DeployAppsResult>;
  /**
   * Heartbeating poll until every service is ready for `headSha`, a sync fails, or `timeoutMs`.
   * Only runs started before the `workflow-level-waits` patch call it; newer runs use `checkReady`.
   */
  waitReady(input: WaitReadyInput): Promise<WaitReadyResult>;
  /** One look at the phase's readiness: returns at once, the workflow waits between looks. */
  checkReady(input: CheckReadyInput): Promise<CheckReadyResult>;
  /** Requests of the namespace's workloads × rates. */
  computeCost(input: ComputeCostInput): Promise<CostEstimate>;
  /** Commit status, deployment status and sticky comment. Never blocks the lifecycle. */
  reportPreview(report: PreviewReport): Promise<void>;
  /**
   * Applications (waiting for their finalizers), routes, then the namespace until it is gone.
   * Only runs started before the `workflow-level-waits` patch call it; newer runs use `teardownStep`.
   */
  teardown(input: TeardownInput): Promise<TeardownResult>;
  /**
   * One idempotent step of the teardown, returning at once: deletes what is not being deleted
   * yet (Applications first; routes and the namespace once they are gone) and says what is left.
   */
  teardownStep(input: TeardownInput): Promise<TeardownStepResult>;
  /** The PR as GitHub's API answers now (open, head, labels, draft); `configured: false` without GitHub. */
  readPullRequest(input: ReadPullRequestInput): Promise<PullRequestReading>;
  /** The head SHA's check runs and commit statuses of the gate's names (`gate`). */
  readChecks(input: ReadChecksInput): Promise<ChecksReading>;
}

export type PreviewActivityName = keyof PreviewActivities;
