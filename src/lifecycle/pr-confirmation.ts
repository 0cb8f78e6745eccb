import type { TriggerPolicy } from '../config/repository';
import type { PullRequestReading } from '../../workflows/contract';

// What GitHub's API says about the PR, read by the workflow before it provisions or deploys
// (workflows/confirmation.ts), decides over any webhook payload: a payload is a snapshot of the
// past, the API answer is the present.

type Reading = Extract<PullRequestReading, { configured: true }>;

/**
 * Why the preview must not be brought up (or must go) as the API answers, or undefined. A closed
 * PR never keeps a preview. The trigger label and the draft policy only gate creation: a preview
 * that exists follows the explicit events (a label removal tears it down), as the policy says.
 */
export function confirmationRefusal(reading: Reading, trigger: Pick<TriggerPolicy, 'mode' | 'label' | 'drafts'>, provisioned: boolean): string | undefined {
  if (reading.state === 'closed') return 'the pull request is closed (confirmed with the GitHub API)';
  if (provisioned) return undefined;
  if (trigger.mode === 'label' && !reading.labels.includes(trigger.label)) return `the pull request lacks the trigger label "${trigger.label}" (confirmed with the GitHub API)`;
  if (reading.draft && !trigger.drafts) return 'the pull request is a draft and trigger.drafts is false (confirmed with the GitHub API)';
  return undefined;
}
