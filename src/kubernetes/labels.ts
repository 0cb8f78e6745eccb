import type { ClusterSettings } from './cluster-settings';
import type { PreviewRef } from './preview-ref';

/** previewd's ownership label; the namespace guard refuses anything without it. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'previewd';

/** previewd's own label and annotation keys under the configured domain. */
export function previewKeys(settings: Pick<ClusterSettings, 'labelDomain'>) {
  const d = settings.labelDomain;
  return {
    pr: `${d}/pr`,
    repo: `${d}/repo`,
    service: `${d}/service`,
    headSha: `${d}/head-sha`,
    rolloutPhase: `${d}/rollout-phase`,
    repository: `${d}/repository`,
    workflowId: `${d}/workflow-id`,
    expiresAt: `${d}/expires-at`,
    image: `${d}/image`,
  } as const;
}

/** Labels every previewd object carries: ownership plus the way back to the PR. */
export function ownershipLabels(settings: Pick<ClusterSettings, 'labelDomain'>, preview: PreviewRef): Record<string, string> {
  const keys = previewKeys(settings);
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [keys.repo]: preview.repoKey, [keys.pr]: String(preview.prNumber) };
}

/** A label selector matching every object previewd made for one preview. */
export function previewSelector(settings: Pick<ClusterSettings, 'labelDomain'>, preview: PreviewRef): string {
  return Object.entries(ownershipLabels(settings, preview))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

const GIT_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The head SHA as a label value. Label values stop at 63 characters, so a SHA-256 object name
 * (64 hex) is cut to 63; the full value always goes into an annotation as well.
 */
export function headShaLabel(headSha: string): string {
  if (!GIT_SHA.test(headSha)) throw new Error(`head SHA must be a full lowercase git object name, got ${JSON.stringify(headSha)}`);
  return headSha.slice(0, 63);
}
