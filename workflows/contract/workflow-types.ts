import type { AiAnswerCacheEntry, AiAnswerCacheInput } from './ai-answer-cache';
import type { JanitorInput, JanitorSummary } from './janitor';
import type { PreviewLifecycleInput, PreviewOutcome } from './lifecycle';
import type { WebhookRedeliveryInput, WebhookRedeliverySummary } from './webhook-redelivery';

// The workflow types workflows/index.ts exports, by name and signature. Clients start and
// list runs by these names; workflows/index.ts checks at compile time that it exports exactly
// these functions. The names are in every recorded history: renaming one is a new workflow type.

export interface PreviewWorkflows {
  /** One preview per pull request, from the first event until its namespace is gone. */
  previewLifecycle(input: PreviewLifecycleInput): Promise<PreviewOutcome>;
  /** The orphan-namespace janitor, started by the `previewd-janitor` Schedule. */
  previewJanitor(input: JanitorInput): Promise<JanitorSummary>;
  /** One AI answer cache entry, started by the service chooser that missed (workflows/contract/ai-answer-cache.ts). */
  aiAnswerCache(input: AiAnswerCacheInput): Promise<AiAnswerCacheEntry>;
  /** Lost-delivery recovery, started by the `previewd-webhook-redelivery` Schedule. */
  webhookRedelivery(input: WebhookRedeliveryInput): Promise<WebhookRedeliverySummary>;
}

export type PreviewLifecycleWorkflow = PreviewWorkflows['previewLifecycle'];
export type JanitorWorkflow = PreviewWorkflows['previewJanitor'];
export type AiAnswerCacheWorkflow = PreviewWorkflows['aiAnswerCache'];
export type WebhookRedeliveryWorkflow = PreviewWorkflows['webhookRedelivery'];

export const PREVIEW_WORKFLOW_TYPE = 'previewLifecycle' satisfies keyof PreviewWorkflows;
export const JANITOR_WORKFLOW_TYPE = 'previewJanitor' satisfies keyof PreviewWorkflows;
export const AI_ANSWER_CACHE_WORKFLOW_TYPE = 'aiAnswerCache' satisfies keyof PreviewWorkflows;
export const WEBHOOK_REDELIVERY_WORKFLOW_TYPE = 'webhookRedelivery' satisfies keyof PreviewWorkflows;

/** The Schedule that runs the janitor; fixed, so every worker replica updates the same one. */
export const JANITOR_SCHEDULE_ID = 'previewd-janitor';
/** The id of the janitor runs the schedule starts. */
export const JANITOR_WORKFLOW_ID = 'previewd-janitor';

/** The Schedule that recovers lost webhook deliveries; fixed, like the janitor's. */
export const WEBHOOK_REDELIVERY_SCHEDULE_ID = 'previewd-webhook-redelivery';
/** The id of the runs it starts. */
export const WEBHOOK_REDELIVERY_WORKFLOW_ID = 'previewd-webhook-redelivery';
