import type { SkipReason } from '../../workflows/contract';

// Whether a namespace's owning workflow is positively gone. The design rule: the janitor
// deletes only on proof that no workflow owns the namespace; any doubt (an error, a state it
// does not recognise) is a skip, and the next run asks again.

/** What `describe()` of the owner's workflow id said (its latest run: continue-as-new keeps the id). */
export type DescribeOutcome =
  | { readonly kind: 'status'; readonly status: string }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'error'; readonly detail: string };

/**
 * Visibility is consulted first: it is cheap, and its success also proves that the Temporal
 * namespace exists and answers. Only then is a strongly consistent describe() trusted, because
 * a server or proxy that reports a missing Temporal namespace as a bare NOT_FOUND would
 * otherwise make every owner look deleted.
 */
export type OwnerEvidence =
  | { readonly visibility: 'error'; readonly detail: string }
  | { readonly visibility: 'running' }
  | { readonly visibility: 'not-running'; readonly describe: DescribeOutcome };

/** The skip reasons the owner's evidence gives (shared by the namespace and the database passes). */
export type OwnerSkipReason = Extract<SkipReason, 'owned' | 'owner-unconfirmed' | 'owner-ambiguous'>;

export type OwnerVerdict = { readonly orphan: true; readonly detail: string } | { readonly orphan: false; readonly reason: OwnerSkipReason; readonly detail: string };

/** Closed for good: the run ended and no successor carries the id on. */
const CLOSED_STATUSES: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT']);

export function ownerVerdict(workflowId: string, evidence: OwnerEvidence): OwnerVerdict {
  if (evidence.visibility === 'error') return { orphan: false, reason: 'owner-unconfirmed', detail: `visibility query failed: ${evidence.detail}` };
  if (evidence.visibility === 'running') return { orphan: false, reason: 'owned', detail: `workflow ${workflowId} is running (visibility)` };
  const described = evidence.describe;
  if (described.kind === 'error') return { orphan: false, reason: 'owner-unconfirmed', detail: `describe ${workflowId} failed: ${described.detail}` };
  if (described.kind === 'not-found') return { orphan: true, detail: `workflow ${workflowId} does not exist` };
  // Visibility lags: a run that started after the list was taken is still running here.
  if (described.status === 'RUNNING') return { orphan: false, reason: 'owned', detail: `workflow ${workflowId} is running (describe)` };
  if (CLOSED_STATUSES.has(described.status)) return { orphan: true, detail: `workflow ${workflowId} is ${described.status}` };
  return { orphan: false, reason: 'owner-ambiguous', detail: `workflow ${workflowId} is ${described.status}` };
}
