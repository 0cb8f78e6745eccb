import { ownerVerdict, type OwnerEvidence, type OwnerSkipReason } from '../../src/janitor';
import { withApiFailures } from '../kubernetes';
import type { JanitorContext } from './janitor-context';

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

export type OrphanConfirmation =
  | { readonly orphan: true; readonly detail: string }
  | { readonly orphan: false; readonly reason: 'namespace-exists' | 'namespace-unconfirmed' | OwnerSkipReason; readonly detail: string };

/** The namespace first, then the owner (`evidence` is asked only once the namespace is gone). */
export async function confirmNamespaceAndOwnerGone(ctx: JanitorContext, namespace: string, workflowId: string, evidence: () => Promise<OwnerEvidence>): Promise<OrphanConfirmation> {
  const ns = await namespaceState(ctx, namespace);
  if (ns === 'exists') return { orphan: false, reason: 'namespace-exists', detail: `namespace ${namespace} still exists` };
  if (ns !== 'gone') return { orphan: false, reason: 'namespace-unconfirmed', detail: `could not read namespace ${namespace}: ${ns.error}` };
  const verdict = ownerVerdict(workflowId, await evidence());
  return verdict.orphan ? { orphan: true, detail: `${verdict.detail}; namespace ${namespace} is gone` } : verdict;
}
