import { heartbeat } from '@temporalio/activity';
import { ownerVerdict, type OwnerEvidence, type OwnerSkipReason } from '../../src/janitor';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../src/kubernetes';
import { withApiFailures } from '../kubernetes';
import { requireTemporalClient, type JanitorContext } from './janitor-context';
import { evidenceFromList, runningOwners } from './owner-lookup';

// The confirmation shared by the passes over what a preview leaves outside its namespace
// (databases, Argo CD Applications): the preview namespace must be gone (while it exists, its
// lifecycle or the namespace janitor comes first, and a reopened PR's new run would be
// deploying into it), then the owning workflow positively not running. Any error is a skip.

type NamespaceState = 'exists' | 'gone' | { readonly error: string };

async function namespaceState(ctx: JanitorContext, name: string): Promise<NamespaceState> {
  try {
    return (await withApiFailures(() => ctx.kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name }))) ? 'exists' : 'gone';
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

export type ConfirmationSkipReason = 'namespace-exists' | 'namespace-unconfirmed' | OwnerSkipReason;

export type OrphanConfirmation = { readonly orphan: true; readonly detail: string } | { readonly orphan: false; readonly reason: ConfirmationSkipReason; readonly detail: string };

/** The namespace first, then the owner (`evidence` is asked only once the namespace is gone). */
export async function confirmNamespaceAndOwnerGone(ctx: JanitorContext, namespace: string, workflowId: string, evidence: () => Promise<OwnerEvidence>): Promise<OrphanConfirmation> {
  const ns = await namespaceState(ctx, namespace);
  if (ns === 'exists') return { orphan: false, reason: 'namespace-exists', detail: `namespace ${namespace} still exists` };
  if (ns !== 'gone') return { orphan: false, reason: 'namespace-unconfirmed', detail: `could not read namespace ${namespace}: ${ns.error}` };
  const verdict = ownerVerdict(workflowId, await evidence());
  return verdict.orphan ? { orphan: true, detail: `${verdict.detail}; namespace ${namespace} is gone` } : verdict;
}

/**
 * The previewd namespaces that exist, listed once per scan: most candidates belong to live
 * previews, and one list spares a read per candidate. Only presence is trusted; a name missing
 * here (or a failed list) is still read on its own before anything counts as gone.
 */
async function previewdNamespaceNames(ctx: JanitorContext): Promise<ReadonlySet<string>> {
  try {
    const labelled = await withApiFailures(() => ctx.kube.api.list('v1', 'Namespace', { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}` }));
    return new Set(labelled.map((ns) => ns.metadata.name));
  } catch {
    return new Set();
  }
}

/** A leftover candidate that passed its offline screen. */
interface Leftover {
  readonly name: string;
  readonly namespace: string;
  readonly workflowId: string;
}

/**
 * The scan's confirmation of every candidate: one visibility list of the running owners for
 * all of them, then each one's namespace and owner. Sorted into orphans (with the detail) and skips.
 */
export async function confirmLeftovers<C extends Leftover, S>(
  ctx: JanitorContext,
  candidates: readonly C[],
  skip: (candidate: C, reason: ConfirmationSkipReason, detail: string) => S,
): Promise<{ orphans: (C & { readonly detail: string })[]; skipped: S[] }> {
  const orphans: (C & { readonly detail: string })[] = [];
  const skipped: S[] = [];
  if (candidates.length === 0) return { orphans, skipped };
  const client = requireTemporalClient(ctx);
  const running = await runningOwners(client, ctx.lifecycleWorkflowType);
  const existing = await previewdNamespaceNames(ctx);
  for (const c of candidates) {
    heartbeat(c.name);
    const confirmed = existing.has(c.namespace)
      ? ({ orphan: false, reason: 'namespace-exists', detail: `namespace ${c.namespace} still exists` } as const)
      : await confirmNamespaceAndOwnerGone(ctx, c.namespace, c.workflowId, () => evidenceFromList(client, running, c.workflowId));
    if (confirmed.orphan) orphans.push({ ...c, detail: confirmed.detail });
    else skipped.push(skip(c, confirmed.reason, confirmed.detail));
  }
  return { orphans, skipped };
}
