import type { TriggerPolicy } from '../config';
import type { PullRequestPayload } from './webhook-payloads';

// Whether an event may create a preview. The policy gates creation only: an event that may
// not create one is still delivered to a preview that already exists (a push to a PR that
// became a draft keeps its preview current; what tears it down is the workflow's decision).

/** Actions that may bring a preview into existence (signal-with-start). */
export const CREATING_ACTIONS: ReadonlySet<string> = new Set(['opened', 'reopened', 'synchronize', 'labeled', 'ready_for_review']);

/** Actions that only concern an existing preview (plain signal). */
export const EXISTING_ONLY_ACTIONS: ReadonlySet<string> = new Set(['closed', 'unlabeled', 'converted_to_draft']);

/** A PR whose head lives in another repository (or in a deleted fork). */
export function isForkPullRequest(payload: PullRequestPayload): boolean {
  const head = payload.pull_request.head.repo?.full_name.toLowerCase();
  return head !== payload.pull_request.base.repo.full_name.toLowerCase();
}

/** Why this event may not create a preview, or undefined when it may. */
export function creationRefusal(payload: PullRequestPayload, trigger: TriggerPolicy): string | undefined {
  const pr = payload.pull_request;
  const labels = pr.labels.map((l) => l.name);
  if (!CREATING_ACTIONS.has(payload.action)) return `"${payload.action}" never creates a preview`;
  if (pr.state === 'closed') return 'the pull request is closed';
  if (payload.action === 'labeled' && payload.label?.name !== trigger.label) return `label "${payload.label?.name ?? ''}" is not the trigger label "${trigger.label}"`;
  if (trigger.mode === 'label' && !labels.includes(trigger.label)) return `the pull request lacks the trigger label "${trigger.label}"`;
  if (pr.draft === true && !trigger.drafts) return 'draft pull requests get no preview (trigger.drafts is false)';
  if (isForkPullRequest(payload) && !trigger.forks) return 'pull requests from forks get no preview (trigger.forks is false)';
  return undefined;
}
