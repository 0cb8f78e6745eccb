import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes that make preview runs findable in the Temporal UI and by
// `previewctl list`. They must be registered on the namespace before a workflow upserts them
// (`temporal operator search-attribute create`); dev mode and the test harness do it for you.
export const PreviewRepository = defineSearchAttributeKey('PreviewRepository', SearchAttributeType.KEYWORD);
export const PreviewPullRequest = defineSearchAttributeKey('PreviewPullRequest', SearchAttributeType.INT);
export const PreviewPhase = defineSearchAttributeKey('PreviewPhase', SearchAttributeType.KEYWORD);
export const PreviewHeadSha = defineSearchAttributeKey('PreviewHeadSha', SearchAttributeType.KEYWORD);
export const PreviewExpiresAt = defineSearchAttributeKey('PreviewExpiresAt', SearchAttributeType.DATETIME);

export const PREVIEW_SEARCH_ATTRIBUTES = [PreviewRepository, PreviewPullRequest, PreviewPhase, PreviewHeadSha, PreviewExpiresAt] as const;
