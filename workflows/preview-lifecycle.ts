import { ApplicationFailure, CancellationScope, condition, isCancellation, patched, setWorkflowOptions, TemporalFailure, workflowInfo } from '@temporalio/workflow';
import { registerClusterWake } from './cluster-waits';
import { registerChecksWake } from './ci-gate';
import { confirmWithGitHub, CONFIRM_WITH_GITHUB_PATCH } from './confirmation';
import { continueAsNewDue, continueAsNewWhenQuiet, onVersionedWorker } from './continue-as-new';
import { FailureType, type PreviewLifecycleInput, type PreviewOutcome } from './contract';
import { deployRound } from './deploy-round';
import { watchExpiry } from './expiry-watch';
import { lastErrorOf } from './failure-description';
import { registerHandlers } from './message-handlers';
import { Preview } from './preview';
import { previewReport, Reporter } from './reporter';
import { stepActivities, type StepActivities } from './step-activities';
import { afterTeardown, isTornDown, OUTLIVES_TEARDOWN_PATCH, outcomeOf } from './after-teardown';
import { tearDown } from './teardown-step';
import { CurrentDetails } from './current-details';
import { Visibility } from './visibility';

/**
 * One preview per pull request, from the first event until its namespace is gone. The id is
 * `previewWorkflowId(owner/repo#n)`; start it with signal-with-start of `prEvent`.
 */
export async function previewLifecycle(input: PreviewLifecycleInput): Promise<PreviewOutcome> {
  const preview = startPreview(input);
  const acts = stepActivities(preview.options, preview.ref);
  const reporter = new Reporter(
    (report) => acts.reportPreview(report),
    (err) => {
      preview.state.lastError = lastErrorOf(err, 'reportPreview');
      preview.recordEvent('report-failed', preview.state.lastError.message);
    },
    { firstMs: preview.options.reportRetryMs, maxMs: preview.options.reportRetryMaxMs },
  );
  // A continued run starts with GitHub up to date, unless the previous run handed over an unsent report.
  if (input.carried && !input.carried.reportUnsent) reporter.prime(previewReport(preview));
  preview.state.reportUnsent = undefined;
  // Order matters for the history: search attributes and memo are upserted before a report is scheduled.
  preview.subscribe(new Visibility());
  preview.subscribe(reporter);
  preview.subscribe(new CurrentDetails());
  registerHandlers(preview);
  registerClusterWake(preview);
  registerChecksWake(preview);
  preview.changed();
  // The entity lives for the PR's open life: a torn-down preview waits in Destroyed (for the
  // retention) and a creating event brings up a new one in the same run, with the same memory.
  for (;;) {
    // A run continued from a torn-down one resumes waiting; the teardown is not repeated.
    if (!isTornDown(preview)) {
      const outcome = await liveOnce(preview, acts);
      if (!patched(OUTLIVES_TEARDOWN_PATCH)) return outcome;
    }
    const next = await afterTeardown(preview);
    if (next === 'end') return outcomeOf(preview);
  }
}

/** One preview's life: deploy rounds until a teardown is requested, then the teardown. */
async function liveOnce(preview: Preview, acts: StepActivities): Promise<PreviewOutcome> {
  void watchExpiry(preview);
  try {
    await lifecycle(preview, acts);
  } catch (err) {
    // Only Temporal failures (cancellation, a deliberate ApplicationFailure) end the preview.
    // Anything else is a bug: rethrowing fails the workflow task, which retries after a fix,
    // instead of tearing down every preview the buggy code touches.
    if (!(err instanceof TemporalFailure)) throw err;
    preview.state.recreate = undefined;
    preview.endRun = true;
    preview.requestTeardown(isCancellation(err) ? 'workflow cancelled' : `workflow failed: ${err.message}`);
  }
  return CancellationScope.nonCancellable(() => tearDown(preview, acts));
}

// Pinned: a run stays on the worker version that started it, so a new build never replays a
// running preview's history. Runs move at continue-as-new (workflows/continue-as-new.ts). Only
// on a versioned worker: a behaviour declared on an unversioned one makes the server refuse its
// workflow tasks ("versioning behavior cannot be specified without deployment options", Server 1.32), so unversioned previews would never run.
setWorkflowOptions(() => (onVersionedWorker() ? { versioningBehavior: 'PINNED' } : {}), previewLifecycle);

/**
 * Unusable input (say a TTL of "4 hours") fails the run at once, visibly, with the field named.
 * A plain error would fail the workflow task instead and retry forever without a word.
 */
function startPreview(input: PreviewLifecycleInput): Preview {
  try {
    return new Preview(input, workflowInfo().workflowId, Date.now());
  } catch (err) {
    throw ApplicationFailure.create({ type: FailureType.ValidationError, nonRetryable: true, message: `invalid preview input: ${err instanceof Error ? err.message : String(err)}` });
  }
}

async function lifecycle(preview: Preview, acts: StepActivities): Promise<void> {
  while (!preview.state.teardown) {
    if (preview.needsRound) {
      // The PR as GitHub's API answers now, before anything is provisioned or deployed: a late
      // or redelivered webhook must not bring up a preview of a closed PR or an older head.
      if (patched(CONFIRM_WITH_GITHUB_PATCH) && !(await inStepScope(preview, () => confirmWithGitHub(preview, acts)))) continue;
      await inStepScope(preview, () => deployRound(preview, acts));
    } else if (continueAsNewDue(preview)) {
      await continueAsNewWhenQuiet(preview);
    } else {
      const seen = preview.version;
      await condition(() => preview.version !== seen || continueAsNewDue(preview));
    }
  }
}

/** Runs a step in a scope that a teardown request cancels; that cancellation ends the step quietly (undefined). */
async function inStepScope<T>(preview: Preview, step: () => Promise<T>): Promise<T | undefined> {
  const scope = new CancellationScope();
  preview.stepScope = scope;
  try {
    return await scope.run(step);
  } catch (err) {
    if (!(isCancellation(err) && preview.state.teardown)) throw err;
    return undefined;
  } finally {
    preview.stepScope = undefined;
  }
}
