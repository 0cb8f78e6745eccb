import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { PreviewLifecycleInput, PreviewOutcome } from '../src/lifecycle';
import { needsRound, type Runtime } from './lifecycle-runtime';

export function continueAsNewDue(rt: Runtime): boolean {
  return workflowInfo().continueAsNewSuggested || rt.messagesThisRun >= rt.options.continueAsNewAfterEvents;
}

/**
 * Hands the state to a fresh run once nothing is in flight. Signals that arrive meanwhile are
 * not lost: the server refuses to complete a run that has unprocessed signals, so the handler
 * runs first and its effect is in the state handed over. Returns when work came up instead.
 */
export async function continueAsNewWhenQuiet(rt: Runtime): Promise<void> {
  await condition(() => allHandlersFinished() && (rt.reporter?.idle ?? true));
  if (rt.state.teardown || needsRound(rt.state)) return;
  await continueAsNew<(input: PreviewLifecycleInput) => Promise<PreviewOutcome>>({ ...rt.input, carried: rt.state });
}
