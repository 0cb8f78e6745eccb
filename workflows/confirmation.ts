import { isCancellation } from '@temporalio/workflow';
import { confirmationRefusal } from '../src/lifecycle';
import type { PullRequestReading } from './contract';
import { describeFailure } from './failure-description';
import type { Preview } from './preview';
import type { StepActivities } from './step-activities';

/** Histories recorded before the confirmation existed schedule no readPullRequest. */
export const CONFIRM_WITH_GITHUB_PATCH = 'confirm-pull-request-with-github';

const olderThan = (a: string, b: string | undefined): boolean => b !== undefined && Date.parse(a) < Date.parse(b);

/**
 * Before a deploy round, the PR as GitHub's API answers it (the answer lands in history). A
 * closed PR, or a PR whose trigger label is gone (nothing provisioned yet), is torn down instead; a newer head is
 * adopted. True: go on with the round. Without GitHub (not configured, or not answering) the
 * event stamps alone decide, and the round goes on.
 */
export async function confirmWithGitHub(preview: Preview, acts: StepActivities): Promise<boolean> {
  let reading: PullRequestReading;
  try {
    reading = await acts.readPullRequest({ preview: preview.ref });
  } catch (err) {
    if (isCancellation(err)) throw err;
    preview.recordEvent('confirm-skipped', `GitHub did not answer, the webhook stamps decide: ${describeFailure(err).message}`);
    return true;
  }
  if (!reading.configured) return true;
  const s = preview.state;
  s.confirmedAt = reading.updatedAt;
  const refusal = confirmationRefusal(reading, preview.input.config.trigger, s.provisioned);
  if (refusal) {
    if (reading.state === 'closed') s.closed = true;
    preview.requestTeardown(refusal);
    return false;
  }
  if (reading.headSha !== s.desiredHeadSha && !olderThan(reading.updatedAt, s.stamps?.pr)) {
    preview.recordEvent('head-confirmed', `GitHub says the head is ${reading.headSha.slice(0, 12)}, not ${s.desiredHeadSha.slice(0, 12)}`);
    s.desiredHeadSha = reading.headSha;
    s.stamps = { ...s.stamps, pr: reading.updatedAt };
    preview.changed();
    return preview.needsRound;
  }
  return true;
}
