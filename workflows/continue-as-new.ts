import { allHandlersFinished, condition, continueAsNew, makeContinueAsNewFunc, patched, workflowInfo } from '@temporalio/workflow';
import type { PreviewLifecycleWorkflow } from './contract';
import type { Preview } from './preview';

/**
 * Histories recorded before this waited for the reporter (GitHub) before continuing as new, which
 * held up teardown and new heads for as long as GitHub hung (bug 2 of issue 14).
 */
export const CONTINUE_WITHOUT_REPORTER_PATCH = 'continue-as-new-without-reporter';

/**
 * Due when the history grows long, after many messages, or when the Worker Deployment's current
 * version is no longer the one this pinned run is on (always false for an unversioned worker).
 */
export function continueAsNewDue(preview: Preview): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.targetWorkerDeploymentVersionChanged || preview.messagesThisRun >= preview.options.continueAsNewAfterEvents;
}

/**
 * On a versioned worker the next run's first task goes to the deployment's current version, and
 * the run is pinned there (the workflow's PINNED behaviour): every continue-as-new is an upgrade
 * point. Only there: on an unversioned worker the server refuses any versioning option. The
 * command is a continue-as-new either way, so recorded histories replay.
 */
const onCurrentVersion = { initialVersioningBehavior: 'AUTO_UPGRADE' } as const;

/**
 * Whether this task runs on a worker that polls as a Worker Deployment version. An unversioned
 * worker reports a version too, with an empty deployment name and the SDK's own build id.
 */
export function onVersionedWorker(): boolean {
  return Boolean(workflowInfo().currentDeploymentVersion?.deploymentName);
}

/** Hands the state to a fresh run; a report GitHub has not taken yet is offered again by that run. */
export async function continueAsNewNow(preview: Preview): Promise<never> {
  const handOver = onVersionedWorker() ? makeContinueAsNewFunc<PreviewLifecycleWorkflow>(onCurrentVersion) : continueAsNew<PreviewLifecycleWorkflow>;
  return handOver({ ...preview.input, carried: { ...preview.state, reportUnsent: !preview.settled } });
}

/**
 * Hands the state to a fresh run once no handler is running. Signals that arrive meanwhile are
 * not lost: the server refuses to complete a run that has unprocessed signals, so the handler
 * runs first and its effect is in the state handed over. Returns when work came up instead.
 * GitHub is never waited for: reports are idempotent and coalesced, the next run offers the
 * current one again (a report still in flight in this run is harmless).
 */
export async function continueAsNewWhenQuiet(preview: Preview): Promise<void> {
  if (patched(CONTINUE_WITHOUT_REPORTER_PATCH)) {
    await condition(() => allHandlersFinished());
    if (preview.state.teardown || preview.needsRound) return;
    await continueAsNewNow(preview);
  }
  await condition(() => allHandlersFinished() && preview.settled);
  if (preview.state.teardown || preview.needsRound) return;
  await continueAsNew<PreviewLifecycleWorkflow>({ ...preview.input, carried: preview.state });
}
