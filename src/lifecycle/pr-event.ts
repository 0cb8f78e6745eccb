import { PR_EVENT_ACTIONS, type PrEvent, type PrEventAction } from '../../workflows/contract';
import type { TriggerPolicy } from '../config/repository';

// A `prEvent` signal (workflows/contract) is GitHub's pull_request webhook reduced to what the
// lifecycle needs. It arrives from outside the workflow, so it is read defensively: a handler that throws on a
// malformed payload would fail the workflow task on every retry and wedge the preview.

/** Actions whose head SHA is the PR's new head (others may be delivered late with an older one). */
const HEAD_MOVING: ReadonlySet<string> = new Set(['opened', 'reopened', 'synchronize', 'ready_for_review']);

export type PrEventRead = { readonly ok: true; readonly event: PrEvent } | { readonly ok: false; readonly reason: string };

const isString = (v: unknown): v is string => typeof v === 'string';

export function readPrEvent(raw: unknown): PrEventRead {
  if (raw === null || typeof raw !== 'object') return { ok: false, reason: 'prEvent payload is not an object' };
  const e = raw as Record<string, unknown>;
  if (!isString(e.action) || !(PR_EVENT_ACTIONS as readonly string[]).includes(e.action)) {
    return { ok: false, reason: `prEvent action ${JSON.stringify(e.action)} is not one of ${PR_EVENT_ACTIONS.join(', ')}` };
  }
  if (!isString(e.deliveryId) || e.deliveryId === '') return { ok: false, reason: 'prEvent has no deliveryId' };
  if (!isString(e.headSha)) return { ok: false, reason: 'prEvent has no headSha' };
  if (!Array.isArray(e.labels) || !e.labels.every(isString)) return { ok: false, reason: 'prEvent labels must be a list of strings' };
  return {
    ok: true,
    event: {
      action: e.action as PrEventAction,
      headSha: e.headSha,
      labels: [...e.labels],
      sender: isString(e.sender) ? e.sender : 'unknown',
      deliveryId: e.deliveryId,
      // Optional, newer fields: a malformed one is dropped (the event is then ordered by arrival), never fatal.
      ...(isString(e.updatedAt) && !Number.isNaN(Date.parse(e.updatedAt)) ? { updatedAt: e.updatedAt } : {}),
      ...(isString(e.before) ? { before: e.before } : {}),
      ...(typeof e.mayCreate === 'boolean' ? { mayCreate: e.mayCreate } : {}),
    },
  };
}

export interface PrEventEffect {
  readonly labels: readonly string[];
  /** The head to deploy, when the event moves the head. */
  readonly newHead?: string;
  /** Whether the idle expiry restarts. */
  readonly touch: boolean;
  /** Why the preview must be torn down, when it must. */
  readonly teardown?: string;
}

/**
 * What an event means for the preview. Only an explicit `closed` or an explicit removal of the
 * trigger label tears down; a missing label on some other event (a lost delivery, a race) does not.
 */
export function interpretPrEvent(event: PrEvent, trigger: Pick<TriggerPolicy, 'mode' | 'label'>): PrEventEffect {
  const labels = event.labels;
  if (event.action === 'closed') return { labels, touch: false, teardown: 'pull request closed' };
  if (event.action === 'unlabeled' && trigger.mode === 'label' && !labels.includes(trigger.label)) {
    return { labels, touch: false, teardown: `trigger label "${trigger.label}" removed` };
  }
  if (HEAD_MOVING.has(event.action) && event.headSha !== '') return { labels, newHead: event.headSha, touch: true };
  return { labels, touch: false };
}
