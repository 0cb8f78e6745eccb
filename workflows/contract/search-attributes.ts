import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The phases people see in the status query, the PR comment and the `PreviewPhase` search
 * attribute (declared together, so `PreviewPhase` is both the type and the key). Failed is not
 * terminal while the workflow runs: a failed deploy waits for a new push, a redeploy, or an
 * explicit teardown, because errors never tear a preview down. Blocked (`budget.onExceed: block`)
 * is not terminal either: new heads are not deployed until a `/preview redeploy` finds the
 * projected cost within the budget. WaitingForChecks (`gate`): the round waits for the head's CI
 * checks before anything is provisioned or deployed.
 */
export const PREVIEW_PHASES = ['Pending', 'WaitingForChecks', 'Provisioning', 'Deploying', 'Ready', 'Degraded', 'Blocked', 'Failed', 'TearingDown', 'Destroyed'] as const;

export type PreviewPhase = (typeof PREVIEW_PHASES)[number];

// Custom search attributes that make preview runs findable in the Temporal UI and by
// `previewctl list`. They must be registered on the namespace before a workflow upserts them
// (`temporal operator search-attribute create`); dev mode and the test harness do it for you.
export const PreviewRepository = defineSearchAttributeKey('PreviewRepository', SearchAttributeType.KEYWORD);
export const PreviewPullRequest = defineSearchAttributeKey('PreviewPullRequest', SearchAttributeType.INT);
export const PreviewPhase = defineSearchAttributeKey('PreviewPhase', SearchAttributeType.KEYWORD);
export const PreviewHeadSha = defineSearchAttributeKey('PreviewHeadSha', SearchAttributeType.KEYWORD);
export const PreviewExpiresAt = defineSearchAttributeKey('PreviewExpiresAt', SearchAttributeType.DATETIME);

export const PREVIEW_SEARCH_ATTRIBUTES = [PreviewRepository, PreviewPullRequest, PreviewPhase, PreviewHeadSha, PreviewExpiresAt] as const;

/** The memo every run carries: what the Temporal UI shows without a query. */
export interface PreviewMemo {
  readonly url?: string;
  readonly namespace?: string;
}
