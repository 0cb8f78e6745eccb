import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { patched, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { previewUrls } from '../src/lifecycle';
import { PreviewExpiresAt, PreviewHeadSha, PreviewPhase, PreviewPullRequest, PreviewRepository, type PreviewMemo } from './contract';
import type { Preview, PreviewSubscriber } from './preview';

// Search attributes and memo make a preview findable in the Temporal UI without a query.
// Only changed values are upserted: every upsert is a history event, and a long-lived preview
// should spend its history on what happened, not on rewriting the same values.

export interface VisibleValues {
  readonly repository: string;
  readonly pullRequest: number;
  readonly phase: string;
  readonly headSha: string;
  readonly expiresAt: number;
  readonly url: string;
  readonly namespace: string;
}

/**
 * `PreviewRepository` is written lower-case, the one spelling of a repository (as in the workflow
 * id): GitHub names are case-insensitive, and the configured spelling may change between runs.
 * Runs recorded before this wrote the configured spelling.
 */
export const CANONICAL_REPOSITORY_PATCH = 'canonical-repository-spelling';

function currentValues(preview: Preview, canonical: boolean): Partial<VisibleValues> {
  const s = preview.state;
  return {
    repository: canonical ? s.repository.toLowerCase() : s.repository,
    pullRequest: s.prNumber,
    phase: s.phase,
    headSha: s.desiredHeadSha,
    // Whole seconds: visibility stores datetimes in a trimmed form (`.9Z` for `.900Z`), so
    // millisecond values would not match the ISO strings people paste into a query.
    expiresAt: Math.floor(preview.expiry.expiresAt / 1000) * 1000,
    url: previewUrls(s.services)[0]?.url,
    namespace: s.namespace,
  };
}

function searchAttributeUpdates(next: Partial<VisibleValues>, prev: Partial<VisibleValues>): SearchAttributeUpdatePair[] {
  const updates: SearchAttributeUpdatePair[] = [];
  if (next.repository !== prev.repository && next.repository !== undefined) updates.push({ key: PreviewRepository, value: next.repository });
  if (next.pullRequest !== prev.pullRequest && next.pullRequest !== undefined) updates.push({ key: PreviewPullRequest, value: next.pullRequest });
  if (next.phase !== prev.phase && next.phase !== undefined) updates.push({ key: PreviewPhase, value: next.phase });
  if (next.headSha !== prev.headSha && next.headSha !== undefined) updates.push({ key: PreviewHeadSha, value: next.headSha });
  if (next.expiresAt !== prev.expiresAt && next.expiresAt !== undefined) updates.push({ key: PreviewExpiresAt, value: new Date(next.expiresAt) });
  return updates;
}

/** Subscribed to the preview: after every change, upserts what differs from what this run last wrote. */
export class Visibility implements PreviewSubscriber {
  private visible: Partial<VisibleValues> = {};
  private canonical?: boolean;

  changed(preview: Preview): void {
    this.canonical ??= patched(CANONICAL_REPOSITORY_PATCH);
    const next = currentValues(preview, this.canonical);
    const prev = this.visible;
    const updates = searchAttributeUpdates(next, prev);
    if (updates.length > 0) upsertSearchAttributes(updates);
    if (next.url !== prev.url || next.namespace !== prev.namespace) {
      const memo: PreviewMemo = { ...(next.url && { url: next.url }), ...(next.namespace && { namespace: next.namespace }) };
      if (Object.keys(memo).length > 0) upsertMemo({ ...memo });
    }
    this.visible = next;
  }
}
