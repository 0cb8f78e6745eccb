import type { PreviewPhase, PreviewReport } from '../../workflows/contract';
import type { PreviewIdentity } from './environment-name';

/**
 * What GitHub reporting reads from a preview: the workflow's `PreviewReport` (declared in the
 * workflow contract), of whose preview reference only the PR's identity is needed.
 */
export type ReportSnapshot = Omit<PreviewReport, 'preview'> & { readonly preview: PreviewIdentity };

/**
 * The phase as it applies to `headSha`. Right after a push the workflow still says Ready (for
 * the previous head) while `headSha` is already the new one: GitHub must not see a success on
 * a commit that is not deployed yet.
 */
export function effectivePhase(report: ReportSnapshot): PreviewPhase {
  const stale = report.deployedHeadSha !== undefined && report.deployedHeadSha !== report.headSha;
  return stale && (report.phase === 'Ready' || report.phase === 'Degraded') ? 'Pending' : report.phase;
}
