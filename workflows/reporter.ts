import { CancellationScope, patched, sleep } from '@temporalio/workflow';
import { previewUrls, projectCost } from '../src/lifecycle';
import { NON_RETRYABLE_FAILURE_TYPES, type PreviewReport } from './contract';
import { describeFailure } from './failure-description';
import type { Preview, PreviewSubscriber } from './preview';

// Reporting to GitHub runs beside the lifecycle, never in its way: deploys and teardown do
// not wait for it, and a GitHub outage only delays comments. Reports are coalesced (the
// latest snapshot wins while one is in flight) and sent one at a time, so GitHub always ends
// up showing the newest state and never an older one sent late.

export function previewReport(preview: Preview): PreviewReport {
  const s = preview.state;
  const view = preview.expiry;
  const cost = s.cost && {
    currency: s.cost.currency,
    perHour: s.cost.perHour,
    projectedToExpiry: projectCost(s.cost.perHour, Date.now(), view.expiresAt),
  };
  return {
    workflowId: s.workflowId,
    preview: preview.ref,
    headSha: s.desiredHeadSha,
    // What is actually serving: right after a push `phase` still describes the old head, and
    // GitHub must not see the new head as deployed until it is.
    deployedHeadSha: s.deployedHeadSha,
    phase: s.phase,
    reason: s.failureReason ?? s.teardown?.reason,
    namespace: s.namespace,
    urls: previewUrls(s.services),
    services: s.services.map((svc) => ({ name: svc.name, state: svc.state, url: svc.url, message: svc.message })),
    cost,
    expiresAt: new Date(view.expiresAt).toISOString(),
    hardCapAt: new Date(view.hardCapAt).toISOString(),
    final: preview.finishing && (s.phase === 'Destroyed' || s.phase === 'Failed'),
  };
}

/**
 * What makes a report worth sending: phase, head, reason, URLs, expiry, cost rate. Per-service
 * progress alone is not (it changes on every readiness poll and would spend GitHub's rate limit
 * on a comment nobody reads mid-rollout); it rides along with the next report that is sent.
 */
function fingerprint(report: PreviewReport): string {
  // deployedHeadSha only changes together with a phase change, and leaving it out keeps the
  // reports histories recorded before it existed would schedule (replay-compatible).
  const { services: _services, cost, deployedHeadSha: _deployed, ...rest } = report;
  return JSON.stringify({ ...rest, cost: cost && { currency: cost.currency, perHour: cost.perHour } });
}

/** Histories recorded before a failed report was offered again schedule no retry timer (bug 3 of issue 14). */
export const REPORT_RETRY_PATCH = 'report-retry-after-failure';

/** Past this much failing, a report is not offered again until the preview changes (the run must be able to end). */
const REPORT_RETRY_GIVE_UP_MS = 24 * 3_600_000;

export interface ReportRetry {
  readonly firstMs: number;
  readonly maxMs: number;
}

/** Subscribed to the preview: every change offers a report, and only one that differs is sent. */
export class Reporter implements PreviewSubscriber {
  private pending?: PreviewReport;
  private lastOffered?: string;
  private sending = false;
  /** A failed report waits on a durable timer to be offered again. */
  private retrying = false;
  private failures = 0;
  private failingSince?: number;
  private latest?: Preview;

  constructor(
    private readonly send: (report: PreviewReport) => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly retry?: ReportRetry,
  ) {}

  /** Nothing to send, nothing in flight, no failed report waiting to be offered again. */
  get idle(): boolean {
    return !this.sending && this.pending === undefined && !this.retrying;
  }

  /** Marks a report as already sent: a run continued from another starts with GitHub up to date. */
  prime(report: PreviewReport): void {
    this.lastOffered = fingerprint(report);
  }

  changed(preview: Preview): void {
    this.latest = preview;
    this.offer(previewReport(preview));
  }

  offer(report: PreviewReport): void {
    const key = fingerprint(report);
    if (key === this.lastOffered) return;
    this.lastOffered = key;
    this.pending = report;
    if (!this.sending) void this.drain();
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.pending) {
        const next = this.pending;
        this.pending = undefined;
        try {
          // Not cancellable: cancelling the workflow must not swallow the report that says so.
          await CancellationScope.nonCancellable(() => this.send(next));
          this.failures = 0;
          this.failingSince = undefined;
        } catch (err) {
          this.onError(err);
          // Only outages are waited out: a refusal (missing permission, invalid report) is not
          // fixed by time, so it neither holds the run nor retries; the next change offers again.
          if (!this.pending && !refusedForGood(err)) this.retryLater();
        }
      }
    } finally {
      this.sending = false;
    }
  }

  /**
   * GitHub did not take the latest report: offer the then-current one again on a durable timer,
   * backing off, so the PR shows the current phase once GitHub is back. Not cancellable: the
   * final report must also get through after a cancellation.
   */
  private retryLater(): void {
    const preview = this.latest;
    if (!this.retry || !preview || this.retrying || !patched(REPORT_RETRY_PATCH)) return;
    const now = Date.now();
    this.failingSince ??= now;
    if (now - this.failingSince >= REPORT_RETRY_GIVE_UP_MS) return;
    const delay = Math.min(this.retry.maxMs, this.retry.firstMs * 2 ** Math.min(this.failures, 20));
    this.failures++;
    this.retrying = true;
    void CancellationScope.nonCancellable(() => sleep(delay, { summary: 'Back off before retrying the GitHub report' })).then(() => {
      this.retrying = false;
      this.lastOffered = undefined;
      this.offer(previewReport(this.latest ?? preview));
    });
  }
}

function refusedForGood(err: unknown): boolean {
  const type = describeFailure(err).type;
  return type !== undefined && (NON_RETRYABLE_FAILURE_TYPES as readonly string[]).includes(type);
}
