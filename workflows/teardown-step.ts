import { condition } from '@temporalio/workflow';
import { previewStatus } from '../src/lifecycle';
import type { PreviewOutcome } from './contract';
import { lastErrorOf } from './failure-description';
import type { Preview } from './preview';
import type { StepActivities } from './step-activities';

/**
 * Runs in a non-cancellable scope on every exit path. It ends when the namespace is gone
 * (Destroyed) or the teardown activity gave up with a clear error (Failed, with that error):
 * transient errors keep retrying inside the activity's retry policy.
 */
export async function tearDown(preview: Preview, acts: StepActivities): Promise<PreviewOutcome> {
  const requested = preview.state.teardown ?? { reason: 'unknown', requestedAt: new Date().toISOString() };
  preview.setPhase('TearingDown');
  preview.finishing = true;
  try {
    const result = await acts.teardown({ preview: preview.ref });
    preview.recordEvent('torn-down', result.namespaceDeleted ? `namespace ${result.namespace} deleted` : `namespace ${result.namespace} was already gone`);
    preview.setPhase('Destroyed');
  } catch (err) {
    const failure = lastErrorOf(err, 'teardown');
    preview.state.lastError = failure;
    preview.setPhase('Failed', `teardown failed: ${failure.message}`);
  }
  // The final report (deployments inactive, comment updated) is offered on the phase change; wait for it.
  await condition(() => preview.settled);
  const s = preview.state;
  return {
    phase: s.phase === 'Destroyed' ? 'Destroyed' : 'Failed',
    reason: requested.reason,
    teardownRequestedAt: requested.requestedAt,
    failureReason: s.phase === 'Destroyed' ? undefined : s.failureReason,
    endedAt: new Date().toISOString(),
    status: previewStatus(s, preview.expiry, Date.now()),
  };
}
