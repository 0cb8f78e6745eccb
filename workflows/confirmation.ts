import { isCancellation } from '@temporalio/workflow';
import { confirmationRefusal, readDestroyRefusal } from '../src/lifecycle';
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
    const since = preview.state.stamps?.created;
    reading = await acts.readPullRequest({ preview: preview.ref, ...(since !== undefined && { since }) });
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
  if (destroyedMeanwhile(preview, reading.destroyCommand)) return false;
  if (reading.headSha !== s.desiredHeadSha && !olderThan(reading.updatedAt, s.stamps?.pr)) {
    preview.recordEvent('head-confirmed', `GitHub says the head is ${reading.headSha.slice(0, 12)}, not ${s.desiredHeadSha.slice(0, 12)}`);
    s.desiredHeadSha = reading.headSha;
    s.stamps = { ...s.stamps, pr: reading.updatedAt };
    preview.changed();
    return preview.needsRound;
  }
  return true;
}

/**
 * A `/preview destroy` written after the creating event, whose webhook never reached this run
 * (it found no run: the creating event was refused then and redelivered later). Comments are
 * read only from `since` = the creating stamp, and an older command is stale here as it is for
 * the webhook, and one no newer than the ending this run recorded was already applied (by its
 * webhook), so a destroy this run already applied can never end a later re-creation.
 */
function destroyedMeanwhile(preview: Preview, command: { readonly at: string; readonly by: string } | undefined): boolean {
  const s = preview.state;
  if (command === undefined || readDestroyRefusal(command.at, s.stamps) !== undefined) return false;
  const reason = `/preview destroy by @${command.by} at ${command.at} (read from the PR's comments by the GitHub confirmation)`;
  preview.recordEvent('destroy', reason);
  s.stamps = { ...s.stamps, ended: command.at };
  preview.requestTeardown(`destroyed: ${reason}`);
  return true;
}
