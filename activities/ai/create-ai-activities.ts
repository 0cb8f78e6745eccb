import type { Logger } from '@temporalio/common';
import { log } from '@temporalio/activity';
import type { ChooseServicesInput, PreviewActivities, PreviewRef } from '../../workflows/contract';
import type { Clock } from '../clock';
import type { ChangedFilesResult } from '../github/changed-files';
import type { AiMetrics } from './ai-metrics';
import { withAnswerCache, type AnswerCache } from './answer-cache';
import { chooseServices, type ServiceChoice } from './choose-services';
import { createOpenAiDetector, type AiDetectorOptions, type ServiceDetector } from './openai-detector';

export interface AiActivityDeps {
  /** The PR's changed files: `createGitHubActivities(…).listChangedFiles`. Absent (no GitHub configured): every service is deployed. */
  readonly listChangedFiles?: (preview: PreviewRef) => Promise<ChangedFilesResult>;
  /** OpenAI-compatible model settings; absent (the default) turns AI off: the static choice is final. */
  readonly ai?: AiDetectorOptions;
  /** Replaces the OpenAI detector (tests). */
  readonly detector?: ServiceDetector;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Requests, durations, tokens; absent: no AI metrics. */
  readonly metrics?: AiMetrics;
  /** The answer cache shared through Temporal; absent: every request asks the model. */
  readonly cache?: AnswerCache;
}

/** The service-choice activity: static globs, optionally refined by a model. */
export function createAiActivities(deps: AiActivityDeps) {
  const clock = deps.clock;
  const now = clock ? () => clock.now() : Date.now;
  const model = deps.detector ?? (deps.ai ? createOpenAiDetector(deps.ai, now, deps.metrics) : undefined);
  const detect = model && deps.cache && deps.ai ? withAnswerCache(model, deps.cache, { model: deps.ai.model, limits: deps.ai.limits }) : model;
  const logger = deps.logger ?? log;
  return {
    chooseServices: (input: ChooseServicesInput): Promise<ServiceChoice> => chooseServices({ listChangedFiles: deps.listChangedFiles, detect, logger }, input),
  } satisfies Pick<PreviewActivities, 'chooseServices'>;
}

export type AiActivities = ReturnType<typeof createAiActivities>;
