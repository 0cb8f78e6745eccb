import { condition } from '@temporalio/workflow';
import { previewStatus, type PreviewOutcome } from '../src/lifecycle';
import { lastErrorOf } from './activity-failure';
import { recordEvent, setPhase, type Runtime } from './lifecycle-runtime';
import type { StepActivities } from './step-activities';

/**
 * Runs in a non-cancellable scope on every exit path. It ends when the namespace is gone
 * (Destroyed) or the teardown activity gave up with a clear error (Failed, with that error):
 * transient errors keep retrying inside the activity's retry policy.
 */
export async function tearDown(rt: Runtime, acts: StepActivities): Promise<PreviewOutcome> {
  const requested = rt.state.teardown ?? { reason: 'unknown', requestedAt: new Date().toISOString() };
  setPhase(rt, 'TearingDown');
  rt.finishing = true;
  try {
    const result = await acts.teardown({ preview: rt.preview });
    recordEvent(rt, 'torn-down', result.namespaceDeleted ? `namespace ${result.namespace} deleted` : `namespace ${result.namespace} was already gone`);
    setPhase(rt, 'Destroyed');
  } catch (err) {
    const failure = lastErrorOf(err, 'teardown');
    rt.state.lastError = failure;
    setPhase(rt, 'Failed', `teardown failed: ${failure.message}`);
  }
  // The final report (deployments inactive, comment updated) is offered by setPhase; wait for it.
  await condition(() => rt.reporter?.idle ?? true);
  const s = rt.state;
  return {
    phase: s.phase === 'Destroyed' ? 'Destroyed' : 'Failed',
    reason: requested.reason,
    teardownRequestedAt: requested.requestedAt,
    failureReason: s.phase === 'Destroyed' ? undefined : s.failureReason,
    endedAt: new Date().toISOString(),
    status: previewStatus(s, rt.ttl, Date.now()),
  };
}
