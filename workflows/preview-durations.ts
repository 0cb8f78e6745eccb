import { isCancellation, log, patched } from '@temporalio/workflow';
import type { PreviewDurationKind } from './contract';
import type { Preview } from './preview';
import type { StepActivities } from './step-activities';

// Create and delete durations, measured on the workflow's own clock: "first event → first
// Ready" and "teardown requested → everything gone". The workflow hands each sample to the
// worker's registry through one activity call without retries. Why an activity and not a
// sink: a sink call is skipped on replay, but it is made again whenever a workflow task is
// retried (a task that failed or timed out after the call, an UnhandledCommand at completion),
// and nothing records that it happened. An activity's completion is in history: a replay or
// a retried task sees it and never schedules it again, so a sample is observed at most once;
// without retries, a lost completion (the rare case) loses the sample rather than doubling it.
// Runs recorded before this existed replay unchanged behind the patches.

export const CREATE_DURATION_PATCH = 'record-create-duration';
export const DELETE_DURATION_PATCH = 'record-delete-duration';

async function record(acts: StepActivities, kind: PreviewDurationKind, from: string): Promise<void> {
  try {
    await acts.recordPreviewDuration({ kind, from, to: new Date().toISOString() });
  } catch (err) {
    if (isCancellation(err)) throw err;
    // A metric never holds up or fails a preview.
    log.warn('preview duration not recorded', { kind, error: err instanceof Error ? err.message : String(err) });
  }
}

// Callers check `…Due` synchronously and await only when it holds: in a run replayed from an
// older history, even an await that does nothing would reorder commands (see database-steps.ts).

/** At a Ready: whether it is the preview's first, whose creation time is still to be recorded. Consumes the flag. */
export function createDurationDue(preview: Preview): boolean {
  const s = preview.state;
  if (!s.createDurationPending) return false;
  // Cleared before the patch check: a run replayed from an old history must not record its next Ready later.
  s.createDurationPending = false;
  return patched(CREATE_DURATION_PATCH);
}

export function recordCreateDuration(preview: Preview, acts: StepActivities): Promise<void> {
  return record(acts, 'create', new Date(preview.state.expiry.createdAt).toISOString());
}

export function deleteDurationDue(): boolean {
  return patched(DELETE_DURATION_PATCH);
}

/** Once teardown has removed everything. */
export function recordDeleteDuration(acts: StepActivities, requestedAt: string): Promise<void> {
  return record(acts, 'delete', requestedAt);
}
