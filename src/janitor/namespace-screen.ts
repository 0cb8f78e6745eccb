import type { OrphanCandidate, PreviewRef, SkipReason } from '../../workflows/contract';
import type { ClusterSettings } from '../config/cluster';
import { foreignNamespaceReason, previewKeys, previewNamespaceName, type KubeObject } from '../kubernetes';

// The checks a namespace passes before anyone asks Temporal who owns it. Everything here reads
// only the namespace itself, so the same screen runs in the scan and again right before a
// teardown, on a fresh read.

export type ScreenSettings = Pick<ClusterSettings, 'namespacePrefix' | 'labelDomain'>;

export type ScreenResult =
  | { readonly kind: 'skip'; readonly reason: SkipReason; readonly detail: string }
  /** The workflow the namespace says owns it, and the preview its labels name (teardown selects its Applications and routes by it). */
  | ({ readonly kind: 'candidate' } & Pick<OrphanCandidate, 'workflowId' | 'preview' | 'ageMs'>);

export interface ScreenContext {
  readonly settings: ScreenSettings;
  readonly nowMs: number;
  readonly retentionMs: number;
}

// Ids previewd makes (`preview:owner/repo#12`) and nothing that could break out of a quoted
// visibility query: the id is interpolated into one when ownership is re-checked.
const WORKFLOW_ID = /^[A-Za-z0-9_.:/#@-]{1,255}$/;

/** Whether an owner id (from an annotation or a database marker) has the shape of an id previewd makes. */
export function isOwnerWorkflowId(id: string): boolean {
  return WORKFLOW_ID.test(id);
}

const PR_NUMBER = /^[1-9][0-9]{0,15}$/;

const skip = (reason: SkipReason, detail: string): ScreenResult => ({ kind: 'skip', reason, detail });

function ageOf(ns: Pick<KubeObject, 'metadata'>, nowMs: number): number | undefined {
  const created = Date.parse(ns.metadata.creationTimestamp ?? '');
  return Number.isNaN(created) ? undefined : nowMs - created;
}

/**
 * The preview the namespace's labels name, if it is exactly the namespace previewd would make
 * for it. A namespace whose labels point at another name was edited by hand: its Applications
 * could belong to someone else's preview, so it is not torn down on the labels' word.
 */
export function previewOfNamespace(settings: ScreenSettings, ns: Pick<KubeObject, 'metadata'>): PreviewRef | string {
  const keys = previewKeys(settings);
  const labels = ns.metadata.labels ?? {};
  const repoKey = labels[keys.repo];
  const pr = labels[keys.pr];
  if (repoKey === undefined || pr === undefined || !PR_NUMBER.test(pr)) return `labels ${keys.repo} / ${keys.pr} missing or invalid`;
  const prNumber = Number(pr);
  let expected: string;
  try {
    expected = previewNamespaceName(settings.namespacePrefix, repoKey, prNumber);
  } catch (err) {
    return (err as Error).message;
  }
  if (expected !== ns.metadata.name) return `labels name preview namespace "${expected}", not "${ns.metadata.name}"`;
  return { repository: ns.metadata.annotations?.[keys.repository] ?? repoKey, repoKey, prNumber };
}

/**
 * Foreign first: a namespace that is not previewd's is never examined further. Then the cheap
 * facts (being deleted, age), then the owner annotation and labels a teardown relies on.
 */
export function screenNamespace(ns: Pick<KubeObject, 'metadata'>, ctx: ScreenContext): ScreenResult {
  const foreign = foreignNamespaceReason(ctx.settings, ns);
  if (foreign) return skip('foreign', foreign);
  if (ns.metadata.deletionTimestamp) return skip('terminating', `being deleted since ${ns.metadata.deletionTimestamp}`);
  const ageMs = ageOf(ns, ctx.nowMs);
  if (ageMs === undefined) return skip('malformed', `creationTimestamp ${JSON.stringify(ns.metadata.creationTimestamp)} is not a time`);
  if (ageMs < ctx.retentionMs) return skip('too-young', `created ${ns.metadata.creationTimestamp}, ${ageMs} ms ago, retention ${ctx.retentionMs} ms`);
  const workflowId = ns.metadata.annotations?.[previewKeys(ctx.settings).workflowId];
  if (workflowId === undefined || workflowId === '') return skip('no-owner', `no ${previewKeys(ctx.settings).workflowId} annotation`);
  if (!WORKFLOW_ID.test(workflowId)) return skip('malformed', `workflow id annotation ${JSON.stringify(workflowId.slice(0, 300))} is not an id previewd makes`);
  const preview = previewOfNamespace(ctx.settings, ns);
  if (typeof preview === 'string') return skip('malformed', preview);
  return { kind: 'candidate', workflowId, preview, ageMs };
}
