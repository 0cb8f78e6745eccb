import type { PreviewRef } from '../kubernetes/preview-ref';

/** A namespace the scan found orphaned; the teardown re-checks every field before acting. */
export interface OrphanCandidate {
  readonly namespace: string;
  /** The namespace object's uid: a namespace recreated under the same name is a different one. */
  readonly uid: string;
  readonly workflowId: string;
  readonly preview: PreviewRef;
  readonly ageMs: number;
  /** Why the owner counts as gone (`workflow … does not exist`, `… is COMPLETED`). */
  readonly detail: string;
}
