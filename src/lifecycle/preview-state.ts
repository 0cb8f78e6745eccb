import type { ExpiryState } from './expiry';
import type { PreviewPhase } from './phase';
import type { PreviewEvent } from './recent-events';

// The workflow's whole memory, as plain JSON: it is handed to the next run on continue-as-new,
// so anything not in here is forgotten at that point (by design: handles, scopes, timers).

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

export interface TeardownRequest {
  readonly reason: string;
  readonly requestedAt: string;
}

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
  services: ServiceState[];
  expiry: ExpiryState;
  cost?: CostState;
  lastError?: LastError;
  teardown?: TeardownRequest;
  deliveries: string[];
  recentEvents: PreviewEvent[];
  /** Messages handled over the preview's whole life (all runs). */
  eventsHandled: number;
  /** 1 for the first run, +1 per continue-as-new. */
  run: number;
}
