import type { PreviewActivityName } from '../../../workflows/contract';

// How the world behaves for one preview, switched by the test while the lifecycle runs: what
// goes wrong (each knob stands for a failure previewd meets in production, compressed from
// minutes to milliseconds so hundreds of cases fit in a test run) and what the service chooser
// answers.

/**
 * - `up`: reports go through.
 * - `flaky`: GitHub answers 5xx; the report activity fails retryably and retries soon.
 * - `down`: an outage longer than the report's 15-minute schedule-to-close budget. A case cannot
 *   wait that long, so the double ends the activity at once with a non-retryable failure: the
 *   workflow sees an ActivityFailure for the report either way, which is all that matters here.
 * - `hanging`: requests hang (GitHub accepted the connection and answers nothing); calls wait
 *   until the mode changes.
 */
export type GitHubMode = 'up' | 'flaky' | 'down' | 'hanging';

/** Opened once, for every call waiting on it. */
export class Release {
  private resolve!: () => void;
  readonly released: Promise<void> = new Promise((r) => (this.resolve = r));
  isReleased = false;

  release(): void {
    this.isReleased = true;
    this.resolve();
  }
}

export class PreviewBehaviour {
  /** Added to every cluster call (API server round trips, Argo CD writes). */
  clusterLatencyMs = 0;
  /** Added to teardown: Argo CD's finalizers and namespace finalisation take a while. */
  teardownLatencyMs = 0;
  githubLatencyMs = 0;
  /** Argo CD reports an Application Synced + Healthy this long after it was applied. */
  argoLagMs = 0;
  /** The next this-many cluster calls fail as an unavailable API server would (retryable). */
  clusterErrors = 0;
  /** What the service chooser picks (names); absent: every service. */
  chosen?: readonly string[];
  private mode: GitHubMode = 'up';
  private hang = new Release();
  private readonly holds = new Map<PreviewActivityName, Release>();

  get github(): GitHubMode {
    return this.mode;
  }

  /** While hanging, calls wait on this; leaving `hanging` releases them. */
  get hanging(): Release {
    return this.hang;
  }

  setGitHub(mode: GitHubMode): void {
    if (this.mode === 'hanging' && mode !== 'hanging') this.hang.release();
    if (mode === 'hanging' && this.mode !== 'hanging') this.hang = new Release();
    this.mode = mode;
  }

  /** Calls of `activity` from now on wait (heartbeating, cancellable) until the returned hold is released. */
  hold(activity: PreviewActivityName): Release {
    const hold = new Release();
    this.holds.set(activity, hold);
    return hold;
  }

  /** The hold calls of `activity` wait on, while it is not released. */
  holdOf(activity: PreviewActivityName): Release | undefined {
    const hold = this.holds.get(activity);
    return hold?.isReleased ? undefined : hold;
  }

  /** Consumes one cluster error from the budget: true when this call must fail. */
  takeClusterError(): boolean {
    if (this.clusterErrors <= 0) return false;
    this.clusterErrors--;
    return true;
  }

  /** Everything back to healthy (the end of a case: outages end, GitHub recovers). */
  heal(): void {
    this.clusterErrors = 0;
    this.setGitHub('up');
    for (const hold of this.holds.values()) hold.release();
  }
}
