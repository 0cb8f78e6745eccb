import { condition } from '@temporalio/workflow';
import { formatDuration } from '../src/config/durations';
import { outcomeOf } from './after-teardown';
import { recheckDelay, waitForCluster, waitsInWorkflow } from './cluster-waits';
import { FailureType, type LastError, type PreviewOutcome, type TeardownStage } from './contract';
import { databaseDropDue, dropPreviewDatabase } from './database-steps';
import { lastErrorOf } from './failure-description';
import type { Preview } from './preview';
import { deleteDurationDue, recordDeleteDuration } from './preview-durations';
import type { StepActivities } from './step-activities';

type TeardownEnd = { readonly ok: true; readonly namespace: string; readonly namespaceDeleted: boolean } | { readonly ok: false; readonly error: LastError };

/**
 * Runs in a non-cancellable scope on every exit path. It ends when the namespace (and the
 * preview's database, if it has one) is gone (Destroyed) or a step gave up with a clear error
 * (Failed, with that error): transient errors keep retrying inside the activities' retry policies.
 * The database is dropped after the namespace teardown, whatever its outcome (database-steps.ts).
 * Steps are awaited only when due: recorded histories pin how many awaits lie between the
 * namespace teardown's result and the phase change.
 */
export async function tearDown(preview: Preview, acts: StepActivities): Promise<PreviewOutcome> {
  const requested = preview.state.teardown ?? { reason: 'unknown', requestedAt: new Date().toISOString() };
  preview.setPhase('TearingDown');
  preview.finishing = true;
  if (waitsInWorkflow()) {
    const outcome = await tearDownInSteps(preview, acts);
    const databaseFailure = databaseDropDue(preview) ? await dropPreviewDatabase(preview, acts) : undefined;
    end(preview, outcome, databaseFailure);
    if (preview.state.phase === 'Destroyed' && deleteDurationDue()) await recordDeleteDuration(acts, requested.requestedAt);
  } else {
    // Runs recorded before the workflow-level-waits patch: one `teardown` activity waits it all
    // out. Kept inline as it was: an extra await here would reorder commands on replay.
    const failures: string[] = [];
    try {
      const result = await acts.teardown({ preview: preview.ref });
      preview.recordEvent('torn-down', result.namespaceDeleted ? `namespace ${result.namespace} deleted` : `namespace ${result.namespace} was already gone`);
    } catch (err) {
      const failure = lastErrorOf(err, 'teardown');
      preview.state.lastError = failure;
      failures.push(`teardown failed: ${failure.message}`);
    }
    if (databaseDropDue(preview)) {
      const databaseFailure = await dropPreviewDatabase(preview, acts);
      if (databaseFailure) failures.push(databaseFailure);
    }
    if (failures.length === 0) {
      preview.setPhase('Destroyed');
      if (deleteDurationDue()) await recordDeleteDuration(acts, requested.requestedAt);
    } else {
      preview.setPhase('Failed', failures.join('; '));
    }
  }
  // The final report (deployments inactive, comment updated) is offered on the phase change; wait
  // for it, unless a new preview is wanted already: GitHub never holds one up (it gets the report later).
  await condition(() => preview.settled || preview.state.recreate !== undefined);
  return outcomeOf(preview);
}

/**
 * `teardownStep` until the namespace is gone, waiting on durable timers (or the cluster watch)
 * in between. Each stage (Applications pruning, namespace terminating) has the deadline the
 * step reports, counted in workflow time from when the workflow first saw that stage; past it
 * the teardown is stuck and says what it waited on, and the namespace stays.
 */
async function tearDownInSteps(preview: Preview, acts: StepActivities): Promise<TeardownEnd> {
  let stage: TeardownStage | undefined;
  let since = 0;
  let deleted = false;
  for (let n = 0; ; n++) {
    let step;
    try {
      step = await acts.teardownStep({ preview: preview.ref });
    } catch (err) {
      return { ok: false, error: lastErrorOf(err, 'teardownStep') };
    }
    deleted ||= step.namespaceExisted;
    if (step.stage === 'gone') return { ok: true, namespace: step.namespace, namespaceDeleted: deleted };
    if (step.stage !== stage) {
      stage = step.stage;
      since = Date.now();
      n = 0;
    }
    const left = since + step.stuckAfterMs - Date.now();
    if (left <= 0) return { ok: false, error: stuck(step.stage, step.waitingFor, step.detail, step.stuckAfterMs) };
    await waitForCluster(preview, Math.min(left, recheckDelay(step.recheck, n)));
  }
}

function stuck(stage: TeardownStage, waitingFor: readonly string[], detail: string | undefined, afterMs: number): LastError {
  const what = stage === 'applications' ? `Application(s) ${waitingFor.join(', ')}` : `namespace ${waitingFor.join(', ')}`;
  return {
    step: 'teardownStep',
    type: FailureType.TeardownStuck,
    message: `teardown stuck: ${what} still present ${formatDuration(afterMs)} after deletion${detail ? `: ${detail}` : ''}`,
    at: new Date().toISOString(),
  };
}

/** The phase after the namespace teardown and the database drop (`databaseFailure`, already in lastError). */
function end(preview: Preview, outcome: TeardownEnd, databaseFailure: string | undefined): void {
  const failures: string[] = [];
  if (outcome.ok) {
    preview.recordEvent('torn-down', outcome.namespaceDeleted ? `namespace ${outcome.namespace} deleted` : `namespace ${outcome.namespace} was already gone`);
  } else {
    preview.state.lastError = outcome.error;
    failures.push(`teardown failed: ${outcome.error.message}`);
  }
  if (databaseFailure !== undefined) failures.push(databaseFailure);
  if (failures.length === 0) preview.setPhase('Destroyed');
  else preview.setPhase('Failed', failures.join('; '));
}
