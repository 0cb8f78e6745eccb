import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { PreviewLifecycleWorkflow } from './contract';
import type { Preview } from './preview';

export function continueAsNewDue(preview: Preview): boolean {
  return workflowInfo().continueAsNewSuggested || preview.messagesThisRun >= preview.options.continueAsNewAfterEvents;
}

/**
 * Hands the state to a fresh run once nothing is in flight. Signals that arrive meanwhile are
 * not lost: the server refuses to complete a run that has unprocessed signals, so the handler
 * runs first and its effect is in the state handed over. Returns when work came up instead.
 */
export async function continueAsNewWhenQuiet(preview: Preview): Promise<void> {
  await condition(() => allHandlersFinished() && preview.settled);
  if (preview.state.teardown || preview.needsRound) return;
  await continueAsNew<PreviewLifecycleWorkflow>({ ...preview.input, carried: preview.state });
}
