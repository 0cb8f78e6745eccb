import { ApplicationFailure, CancellationScope, condition, isCancellation, TemporalFailure, workflowInfo } from '@temporalio/workflow';
import type { PreviewLifecycleInput, PreviewOutcome } from '../src/lifecycle';
import { lastErrorOf } from './activity-failure';
import { continueAsNewDue, continueAsNewWhenQuiet } from './continue-as-new';
import { deployRound } from './deploy-round';
import { watchExpiry } from './expiry-watch';
import { changed, createRuntime, needsRound, recordEvent, requestTeardown, type Runtime } from './lifecycle-runtime';
import { registerHandlers } from './message-handlers';
import { previewReport, Reporter } from './reporter';
import { stepActivities, type StepActivities } from './step-activities';
import { tearDown } from './teardown-step';

/**
 * One preview per pull request, from the first event until its namespace is gone. The id is
 * `previewWorkflowId(owner/repo#n)`; start it with signal-with-start of `prEvent`.
 */
export async function previewLifecycle(input: PreviewLifecycleInput): Promise<PreviewOutcome> {
  const rt = startRuntime(input);
  const acts = stepActivities(rt.options);
  rt.reporter = new Reporter(
    (report) => acts.reportPreview(report),
    (err) => {
      rt.state.lastError = lastErrorOf(err, 'reportPreview');
      recordEvent(rt, 'report-failed', rt.state.lastError.message);
    },
  );
  if (input.carried) rt.reporter.prime(previewReport(rt));
  registerHandlers(rt);
  changed(rt);
  void watchExpiry(rt);
  try {
    await lifecycle(rt, acts);
  } catch (err) {
    // Only Temporal failures (cancellation, a deliberate ApplicationFailure) end the preview.
    // Anything else is a bug: rethrowing fails the workflow task, which retries after a fix,
    // instead of tearing down every preview the buggy code touches.
    if (!(err instanceof TemporalFailure)) throw err;
    requestTeardown(rt, isCancellation(err) ? 'workflow cancelled' : `workflow failed: ${err.message}`);
  }
  return CancellationScope.nonCancellable(() => tearDown(rt, acts));
}

/**
 * Unusable input (say a TTL of "4 hours") fails the run at once, visibly, with the field named.
 * A plain error would fail the workflow task instead and retry forever without a word.
 */
function startRuntime(input: PreviewLifecycleInput): Runtime {
  try {
    return createRuntime(input, workflowInfo().workflowId, Date.now());
  } catch (err) {
    throw ApplicationFailure.create({ type: 'ValidationError', nonRetryable: true, message: `invalid preview input: ${err instanceof Error ? err.message : String(err)}` });
  }
}

async function lifecycle(rt: Runtime, acts: StepActivities): Promise<void> {
  while (!rt.state.teardown) {
    if (needsRound(rt.state)) {
      await inStepScope(rt, () => deployRound(rt, acts));
    } else if (continueAsNewDue(rt)) {
      await continueAsNewWhenQuiet(rt);
    } else {
      const seen = rt.version;
      await condition(() => rt.version !== seen || continueAsNewDue(rt));
    }
  }
}

/** Runs a step in a scope that a teardown request cancels; that cancellation ends the step quietly. */
async function inStepScope(rt: Runtime, step: () => Promise<void>): Promise<void> {
  const scope = new CancellationScope();
  rt.stepScope = scope;
  try {
    await scope.run(step);
  } catch (err) {
    if (!(isCancellation(err) && rt.state.teardown)) throw err;
  } finally {
    rt.stepScope = undefined;
  }
}
