import type { LifecycleOptions, RepositoryConfig } from '../../src/config/repository';
import type { PreviewPhase } from './search-attributes';

// The lifecycle workflow's input, state, status and outcome: what clients send, what the
// status query answers, what continue-as-new carries and what the run returns. Plain JSON.

// --- PR events ----------------------------------------------------------------------------------

/** The pull_request actions a `prEvent` signal may carry. */
export const PR_EVENT_ACTIONS = [
  'opened',
  'reopened',
  'synchronize',
  'labeled',
  'unlabeled',
  'closed',
  'ready_for_review',
  'converted_to_draft',
  'edited',
] as const;

export type PrEventAction = (typeof PR_EVENT_ACTIONS)[number];

/** GitHub's pull_request webhook reduced to what the lifecycle needs. */
export interface PrEvent {
  readonly action: PrEventAction;
  /** The PR's head SHA when the event was sent. */
  readonly headSha: string;
  /** The PR's labels after the event. */
  readonly labels: readonly string[];
  /** GitHub login that caused the event. */
  readonly sender: string;
  /** `X-GitHub-Delivery`: a redelivery carries the same id and changes nothing. */
  readonly deliveryId: string;
  /**
   * `pull_request.updated_at` (ISO-8601, second resolution): when GitHub last changed the PR as
   * this payload shows it. Orders deliveries that arrive out of order (src/lifecycle/pr-stamps.ts).
   * Absent in signals sent before it existed: such events are applied in arrival order.
   */
  readonly updatedAt?: string;
  /** `synchronize` only: the head this push replaced (`before`), which breaks ties of `updatedAt`. */
  readonly before?: string;
  /**
   * The ingress's creation policy said this event may create a preview (open, trigger label,
   * draft and fork policy). Absent in older signals: the workflow then creates nothing after a teardown.
   */
  readonly mayCreate?: boolean;
}

// --- State (carried by continue-as-new) ---------------------------------------------------------

/** The expiry is derived from these (src/lifecycle/expiry.ts), never stored. */
export interface ExpiryState {
  /** Epoch ms the preview was created: the hard cap counts from here. */
  readonly createdAt: number;
  /** Epoch ms of the last activity (creation, push, reopen): idle expiry counts from here. */
  readonly idleFrom: number;
  /** Epoch ms someone explicitly extended the preview to, if any. */
  readonly extendedUntil?: number;
}

export interface PreviewEvent {
  /** ISO-8601 workflow time. */
  readonly at: string;
  readonly kind: string;
  readonly detail: string;
}

export type ServiceDeployState = 'Pending' | 'Deploying' | 'Progressing' | 'Ready' | 'Degraded' | 'Missing';

export interface ServiceState {
  readonly name: string;
  /** Rollout phase from the config (610 … 650). */
  readonly rolloutPhase: number;
  readonly state: ServiceDeployState;
  /** Head SHA last applied for this service. */
  readonly headSha?: string;
  readonly application?: string;
  readonly url?: string;
  /** Why it is not ready, in words a PR author can act on. */
  readonly message?: string;
}

export interface LastError {
  /** The step that failed (`deployApps`, `reportPreview`, `teardown`, …). */
  readonly step: string;
  readonly message: string;
  /** The failure type (`KubernetesForbidden`, …) when the activity gave one. */
  readonly type?: string;
  readonly at: string;
}

export interface CostState {
  readonly perHour: number;
  readonly currency: string;
  readonly computedAt: string;
}

/** The preview's database on the shared server, once provisioned (no credentials: those are only in the Secret). */
export interface DatabaseState {
  readonly name: string;
  /** The Secret in the preview namespace with host, port, database, username, password, url. */
  readonly secretName: string;
  /** SHA-256 of the bootstrap SQL that ran (or had run) in it. */
  readonly bootstrapSha256?: string;
}

export interface TeardownRequest {
  readonly reason: string;
  readonly requestedAt: string;
}

/**
 * GitHub's clock as the applied events showed it (ISO-8601 `updated_at` / comment `created_at`),
 * so that a late delivery older than what it would change is recognised as stale.
 */
export interface PrStamps {
  /** Newest `updated_at` of an applied pull_request event: the PR's head, labels and state are as of then. */
  pr?: string;
  /** `before` of the push that set the desired head (ties of `pr` between pushes). */
  headBefore?: string;
  /** Newest stamp of an applied event that may create the preview: older ending events are stale. */
  created?: string;
  /** Stamp of the applied ending event (closed, trigger label removed, destroy): older creating events are stale. */
  ended?: string;
}

/** A creating event that arrived while the preview was being torn down: it takes effect after the teardown. */
export interface RecreateRequest {
  readonly deliveryId?: string;
  readonly headSha?: string;
  readonly why: string;
}

/**
 * The workflow's whole memory, as plain JSON: it is handed to the next run on continue-as-new,
 * so anything not in here is forgotten at that point (by design: handles, scopes, timers).
 */
export interface PreviewState {
  readonly workflowId: string;
  readonly repository: string;
  readonly prNumber: number;
  /** Operator-configured repository key (namespace names use it, never PR data). */
  readonly repoKey: string;
  labels: string[];
  phase: PreviewPhase;
  failureReason?: string;
  /** Latest head the PR is known to be at: what the preview should run. */
  desiredHeadSha: string;
  /** Head of the last deploy round started: a round per new head, not a retry loop on failure. */
  attemptedHeadSha?: string;
  /** Head of the last round whose every rollout phase was applied. */
  deployedHeadSha?: string;
  redeployRequested: boolean;
  provisioned: boolean;
  namespace?: string;
  database?: DatabaseState;
  services: ServiceState[];
  expiry: ExpiryState;
  cost?: CostState;
  lastError?: LastError;
  teardown?: TeardownRequest;
  /** The stamps of the applied events (absent in state carried from runs before stamps existed). */
  stamps?: PrStamps;
  /** An applied `closed` (not followed by a reopen): after the teardown the run becomes a tombstone and ends. */
  closed?: boolean;
  /** A creating event during or after the teardown: a new preview is brought up in the same run. */
  recreate?: RecreateRequest;
  /** `updated_at` of the PR as GitHub's API last confirmed it at a step boundary (head, open, labels, draft). */
  confirmedAt?: string;
  /** Epoch ms until which a torn-down preview's run stays (lifecycle.retainAfterTeardown). */
  retainedUntil?: number;
  /** Set on continue-as-new when GitHub had not taken the latest report yet: the next run offers it again. */
  reportUnsent?: boolean;
  deliveries: string[];
  recentEvents: PreviewEvent[];
  /** Messages handled over the preview's whole life (all runs). */
  eventsHandled: number;
  /** 1 for the first run, +1 per continue-as-new. */
  run: number;
  /**
   * Set when the preview is created, cleared at its first Ready, when the create duration is
   * recorded. Previews created before durations were recorded lack it, so their next Ready
   * does not record hours of life as a creation time.
   */
  createDurationPending?: boolean;
}

// --- Input, status, outcome ----------------------------------------------------------------------

/** The PR as the event that started the preview saw it. */
export interface PullRequestSnapshot {
  /** `owner/repo`. */
  readonly repository: string;
  readonly number: number;
  readonly headSha: string;
  readonly labels: readonly string[];
  /** GitHub login of the PR author. */
  readonly author: string;
}

export interface PreviewLifecycleInput {
  readonly pr: PullRequestSnapshot;
  /** The repository's validated config, resolved by the caller (ingress) at start. */
  readonly config: RepositoryConfig;
  /** Operator knobs of the workflow (`lifecycle` in the config); defaults from its schema. */
  readonly options?: LifecycleOptions;
  /** Set only by continue-as-new: the previous run's state. */
  readonly carried?: PreviewState;
}

/** What the `status` query returns: everything a person or the CLI needs, as JSON. */
export interface PreviewStatus {
  readonly workflowId: string;
  readonly repository: string;
  readonly prNumber: number;
  readonly phase: PreviewPhase;
  readonly failureReason?: string;
  readonly desiredHeadSha: string;
  readonly deployedHeadSha?: string;
  readonly namespace?: string;
  readonly database?: DatabaseState;
  readonly services: readonly ServiceState[];
  readonly urls: readonly { readonly service: string; readonly url: string }[];
  readonly labels: readonly string[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly hardCapAt: string;
  /** Idle TTL the labels select, e.g. `4h` or `1d`. */
  readonly idleTtl: string;
  readonly extendedTtl: boolean;
  readonly cost?: { readonly perHour: number; readonly projectedToExpiry: number; readonly currency: string };
  readonly lastError?: LastError;
  readonly teardownReason?: string;
  readonly recentEvents: readonly PreviewEvent[];
  readonly eventsHandled: number;
  readonly run: number;
}

/** What the workflow returns when the preview is gone (or could not be removed). */
export interface PreviewOutcome {
  readonly phase: Extract<PreviewPhase, 'Destroyed' | 'Failed'>;
  /** Why the preview was torn down (closed, destroyed, expired, …). */
  readonly reason: string;
  /** When the teardown was asked for (TTL expiry, event, signal); ISO-8601 workflow time. */
  readonly teardownRequestedAt: string;
  /** Set when teardown itself failed: the namespace may still exist. */
  readonly failureReason?: string;
  readonly endedAt: string;
  readonly status: PreviewStatus;
}
