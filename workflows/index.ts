// Entry point bundled into the Temporal workflow sandbox: every workflow type, exported under
// the name the contract gives it. Clients import the contract (./contract), never this file.
import { aiAnswerCache } from './ai-answer-cache';
import type { PreviewWorkflows } from './contract';
import { previewJanitor } from './janitor';
import { previewLifecycle } from './preview-lifecycle';
import { webhookRedelivery } from './webhook-redelivery';

export { previewLifecycle, previewJanitor, aiAnswerCache, webhookRedelivery };

/** Compile-time check: the exports are the contract's workflow types, by name and signature. */
type Implements<T extends PreviewWorkflows> = T;
export type WorkflowExports = Implements<{ previewLifecycle: typeof previewLifecycle; previewJanitor: typeof previewJanitor; aiAnswerCache: typeof aiAnswerCache; webhookRedelivery: typeof webhookRedelivery }>;
