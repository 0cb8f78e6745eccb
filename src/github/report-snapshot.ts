import type { PreviewPhase } from '../lifecycle';
import type { PreviewIdentity } from './environment-name';

/**
 * What GitHub reporting reads from a preview. The workflow's `PreviewReport`
 * (activities/types.ts) extends it, so the two cannot drift apart.
 */
export interface ReportSnapshot {
  readonly workflowId: string;
  readonly preview: PreviewIdentity;
  /** The head the preview should run (the PR's latest). */
  readonly headSha: string;
  /**
   * The head whose deploy round last completed. Not (yet) part of the workflow's
   * `PreviewReport`; when present, a Ready/Degraded phase that belongs to an older head is
   * shown as "queued" for `headSha` instead of passing the old head's verdict to the new one.
   */
  readonly deployedHeadSha?: string;
  readonly phase: PreviewPhase;
  /** Why it failed, degraded or was torn down. */
  readonly reason?: string;
  readonly namespace?: string;
  readonly urls: readonly { readonly service: string; readonly url: string }[];
  readonly services: readonly { readonly name: string; readonly state: string; readonly url?: string; readonly message?: string }[];
  readonly cost?: { readonly currency: string; readonly perHour: number; readonly projectedToExpiry: number };
  readonly expiresAt: string;
  readonly hardCapAt: string;
  /** The last report of this preview (after teardown): deployments go inactive. */
  readonly final: boolean;
}

/**
 * The phase as it applies to `headSha`. Right after a push the workflow still says Ready (for
 * the previous head) while `headSha` is already the new one: GitHub must not see a success on
 * a commit that is not deployed yet.
 */
export function effectivePhase(report: ReportSnapshot): PreviewPhase {
  const stale = report.deployedHeadSha !== undefined && report.deployedHeadSha !== report.headSha;
  return stale && (report.phase === 'Ready' || report.phase === 'Degraded') ? 'Pending' : report.phase;
}
