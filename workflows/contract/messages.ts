import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PrEvent, PreviewStatus } from './lifecycle';

// Every message of the preview workflow, defined once. The workflow registers handlers for
// these definitions and every client (ingress, CLI, tests) sends them, so a renamed signal or a
// changed argument shape is a compile error everywhere instead of a silently dropped message.
// Names are the wire contract (`temporal workflow signal --name extend --input '{"by":"4h"}'`):
// renaming one breaks running previews and recorded histories.

export interface ExtendRequest {
  /** A duration such as `4h`, `1d`, `90m`, added to the current expiry. */
  readonly by: string;
  /** Optional idempotency key (a webhook delivery id for `/preview extend`). */
  readonly deliveryId?: string;
  /** The command comment's `created_at` (ISO-8601), when it came from a comment. */
  readonly at?: string;
}

export interface ExtendResult {
  readonly expiresAt: string;
  readonly previousExpiresAt: string;
  readonly hardCapAt: string;
}

export interface DestroyRequest {
  readonly reason: string;
  readonly deliveryId?: string;
  /** The command comment's `created_at` (ISO-8601): a destroy older than the newest creating event is stale. */
  readonly at?: string;
}

export interface RedeployRequest {
  readonly reason?: string;
  readonly deliveryId?: string;
  /** The command comment's `created_at` (ISO-8601), when it came from a comment. */
  readonly at?: string;
}

/** A GitHub pull_request event for this PR; redeliveries (same deliveryId) are ignored. */
export const prEventSignal = defineSignal<[PrEvent]>('prEvent');

/** Extends the expiry; past the hard cap it stops at the cap. For `temporal workflow signal`. */
export const extendSignal = defineSignal<[ExtendRequest]>('extend');

/** Extends the expiry and returns it; rejected (with the reason) if invalid or past the hard cap. */
export const extendTtlUpdate = defineUpdate<ExtendResult, [ExtendRequest]>('extendTtl');

/** Tears the preview down now, whatever it is doing. */
export const destroySignal = defineSignal<[DestroyRequest]>('destroy');

/** Deploys the latest head again (`/preview redeploy`), e.g. to recover from Degraded or Failed. */
export const redeploySignal = defineSignal<[RedeployRequest]>('redeploy');

export const statusQuery = defineQuery<PreviewStatus>('status');

/**
 * A wake-up with no content, sent to previews pinned to an older worker version when the Worker
 * Deployment's current version moved (src/worker/worker-versioning.ts). The workflow task it
 * causes tells the run (`workflowInfo().targetWorkerDeploymentVersionChanged`) that it should
 * move; an idle preview then continues as new onto the current version. Duplicates and signals
 * to a run already on the current version change nothing.
 */
export const workerVersionCheckSignal = defineSignal('workerVersionCheck');

/** What changed, for the history reader: `Application argocd/pr-shop-7-web`, `Namespace pr-shop-7`. */
export interface ClusterChange {
  readonly kind: 'Application' | 'Namespace';
  readonly name: string;
}

/**
 * Sent by a worker's cluster watch when an Application or the namespace of this preview
 * changed in a way a wait cares about. Only a wake-up: the workflow checks the cluster again
 * through an activity and never trusts the signal's content, so duplicates (every worker
 * replica watches) and stale ones are harmless.
 */
export const clusterChangedSignal = defineSignal<[ClusterChange]>('clusterChanged');

/** Which GitHub event woke the CI gate, for the history reader. */
export interface ChecksChanged {
  readonly event: 'check_run' | 'check_suite' | 'status';
  readonly headSha: string;
  readonly deliveryId?: string;
}

/**
 * Sent by the ingress for `check_run` and `check_suite` events of this PR's head. Only a
 * wake-up, like clusterChanged: the gate reads the checks again through the `readChecks`
 * activity, so a forged, duplicated or late event cannot pass it.
 */
export const checksChangedSignal = defineSignal<[ChecksChanged]>('checksChanged');
