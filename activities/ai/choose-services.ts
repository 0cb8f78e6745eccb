import type { Logger } from '@temporalio/common';
import type { ChooseServicesInput, ChooseServicesResult, PreviewRef } from '../../workflows/contract';
import { selectAffectedServices, type SelectionReason } from '../../src/service-selection';
import type { ChangedFilesResult } from '../github/changed-files';
import { isNonRetryable, isRateLimited } from '../github/github-failure';
import type { ServiceDetector } from './openai-detector';

// Which services a deploy round needs. The static choice (globs + dependencies + always-deploy)
// is the baseline; the optional model may add services the globs miss (shared code, build
// files), never remove one the globs matched. Everything here is the activity's result, so
// the choice, the model's answer and any reason for falling back are in workflow history and a
// retry or replay never asks the model again.

export interface ServiceChoice extends ChooseServicesResult {
  readonly services: string[];
  /** How the choice was made. */
  readonly source: 'scope-all' | 'static' | 'ai' | 'all-fallback';
  readonly reasons: Readonly<Record<string, SelectionReason>>;
  readonly changedFiles?: number;
  readonly ai?: { readonly model: string; readonly suggested: string[]; readonly dropped: string[]; readonly rationale: string; readonly cached?: boolean };
  /** Why the model's answer was not used, or why the whole apps tier is deployed. */
  readonly fallbackReason?: string;
}

export interface ChooseServicesDeps {
  readonly listChangedFiles?: (preview: PreviewRef) => Promise<ChangedFilesResult>;
  /** Absent: AI is off and the static choice is final. */
  readonly detect?: ServiceDetector;
  readonly logger: Logger;
}

function everything(input: ChooseServicesInput, source: 'scope-all' | 'all-fallback', fallbackReason?: string): ServiceChoice {
  const selection = selectAffectedServices({ scope: 'all', services: input.services }, []);
  return { services: [...selection.services], source, reasons: selection.reasons, ...(fallbackReason ? { fallbackReason } : {}) };
}

async function changedFilesOrFallback(deps: ChooseServicesDeps, input: ChooseServicesInput): Promise<ChangedFilesResult | ServiceChoice> {
  if (!deps.listChangedFiles) return everything(input, 'all-fallback', 'GitHub is not configured: the changed files are unknown');
  try {
    return await deps.listChangedFiles(input.preview);
  } catch (err) {
    // Waiting out a rate limit (up to an hour) or a missing permission would hold the deploy:
    // deploying everything is the safe answer. Outages are thrown and retried by the policy.
    if (!isRateLimited(err) && !isNonRetryable(err)) throw err;
    const reason = `changed files unavailable: ${(err as Error).message}`;
    deps.logger.warn('service choice: deploying every service', { repository: input.preview.repository, pr: input.preview.prNumber, reason });
    return everything(input, 'all-fallback', reason);
  }
}

export async function chooseServices(deps: ChooseServicesDeps, input: ChooseServicesInput): Promise<ServiceChoice> {
  if (input.scope === 'all') return everything(input, 'scope-all');
  const changed = await changedFilesOrFallback(deps, input);
  if ('source' in changed) return changed;
  if (changed.truncated) return everything(input, 'all-fallback', `the pull request changes ${changed.files.length} or more files, more than GitHub lists`);
  const repo = { scope: input.scope, services: input.services };
  const base = selectAffectedServices(repo, changed.files);
  const staticChoice: ServiceChoice = { services: [...base.services], source: 'static', reasons: base.reasons, changedFiles: changed.files.length };
  // Nothing for the model to add when everything is already chosen or nothing changed.
  if (!deps.detect || base.services.length === input.services.length || changed.files.length === 0) return staticChoice;
  try {
    const answer = await deps.detect({ repository: input.preview.repository, files: changed.files, filesTruncated: false, services: input.services });
    const merged = selectAffectedServices(repo, changed.files, { detected: answer.services });
    return {
      services: [...merged.services],
      source: 'ai',
      reasons: merged.reasons,
      changedFiles: changed.files.length,
      ai: { model: answer.model, suggested: answer.services, dropped: answer.dropped, rationale: answer.rationale, ...(answer.cached ? { cached: true } : {}) },
    };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    deps.logger.warn('service choice: AI unavailable, using the static choice', { repository: input.preview.repository, pr: input.preview.prNumber, reason });
    return { ...staticChoice, fallbackReason: `AI not used: ${reason}` };
  }
}
