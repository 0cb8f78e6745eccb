import type { RepositoryConfig } from '../config';
import type { LifecycleOptions } from './lifecycle-options';
import type { PreviewPhase } from './phase';
import type { PreviewState } from './preview-state';
import type { PreviewStatus } from './preview-status';

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
  readonly options?: LifecycleOptions;
  /** Set only by continue-as-new: the previous run's state. */
  readonly carried?: PreviewState;
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
