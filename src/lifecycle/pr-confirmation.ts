import type { TriggerPolicy } from '../config/repository';
import type { PullRequestReading } from '../../workflows/contract';

// What GitHub's API says about the PR, read by the workflow before it provisions or deploys
// (workflows/confirmation.ts), decides over any webhook payload: a payload is a snapshot of the
// past, the API answer is the present.

type Reading = Extract<PullRequestReading, { configured: true }>;

/**
 * Why the preview must not be brought up (or must go) as the API answers, or undefined: only
 * what an ending event would have done. A closed PR never keeps a preview; a PR whose trigger
 * label is gone does not get one provisioned (its removal ends a preview). A PR that became a
 * draft after the creating event keeps it: converting to draft ends nothing, the draft policy
 * gates creating events only (the ingress applies it to each payload).
 */
export function confirmationRefusal(reading: Reading, trigger: Pick<TriggerPolicy, 'mode' | 'label'>, provisioned: boolean): string | undefined {
  if (reading.state === 'closed') return 'the pull request is closed (confirmed with the GitHub API)';
  if (provisioned) return undefined;
  if (trigger.mode === 'label' && !reading.labels.includes(trigger.label)) return `the pull request lacks the trigger label "${trigger.label}" (confirmed with the GitHub API)`;
  return undefined;
}
