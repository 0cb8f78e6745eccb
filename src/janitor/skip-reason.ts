// Why the janitor left a previewd namespace alone. The values are Prometheus label values and
// summary keys, so they are stable, few, and never carry names or ids (those go in `detail`).

export const SKIP_REASONS = [
  /** Fails the ownership guard (prefix and managed-by label): never previewd's to delete. */
  'foreign',
  /** Already being deleted: Kubernetes finishes what someone else started. */
  'terminating',
  /** Younger than the retention window. */
  'too-young',
  /** No workflow-id annotation: nothing to confirm ownership against, so not provably orphaned. */
  'no-owner',
  /** Labels, annotation or timestamps do not describe a preview namespace previewd could have made. */
  'malformed',
  /** A running workflow owns it. */
  'owned',
  /** Visibility or describe failed: ownership could not be confirmed either way. */
  'owner-unconfirmed',
  /** The owner's latest run is in a state that is neither running nor plainly closed. */
  'owner-ambiguous',
  /** Between the scan and the teardown the namespace was recreated or re-owned. */
  'changed',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

export interface SkippedNamespace {
  readonly namespace: string;
  readonly reason: SkipReason;
  /** For people: what exactly was seen. */
  readonly detail: string;
}
