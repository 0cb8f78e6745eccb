import { allHandlersFinished, condition } from '@temporalio/workflow';
import { previewStatus } from '../src/lifecycle';
import { continueAsNewDue, continueAsNewNow } from './continue-as-new';
import type { PreviewOutcome } from './contract';
import type { Preview } from './preview';

// After a teardown the run stays (lifecycle.retainAfterTeardown): the PR may be reopened,
// labelled again or pushed to after `/preview destroy`, and GitHub redelivers old deliveries
// by hand. Staying keeps the delivery memory and the event stamps, so a redelivery is a
// duplicate and a stale event is recognised, and a legitimate creating event brings up a new
// preview in the same run. A closed PR's run is a tombstone: it only answers until it ends.

/** Histories recorded before this ended the run right after the teardown. */
export const OUTLIVES_TEARDOWN_PATCH = 'lifecycle-outlives-teardown';

/** The preview was torn down and the run waits (also a run continued from such a one). */
export function isTornDown(preview: Preview): boolean {
  return preview.state.teardown !== undefined && preview.state.phase === 'Destroyed';
}

export function outcomeOf(preview: Preview): PreviewOutcome {
  const s = preview.state;
  const requested = s.teardown ?? { reason: 'unknown', requestedAt: new Date().toISOString() };
  return {
    phase: s.phase === 'Destroyed' ? 'Destroyed' : 'Failed',
    reason: requested.reason,
    teardownRequestedAt: requested.requestedAt,
    failureReason: s.phase === 'Destroyed' ? undefined : s.failureReason,
    endedAt: new Date().toISOString(),
    status: previewStatus(s, preview.expiry, Date.now()),
  };
}

/** A new preview in this run, for the creating event that arrived during or after the teardown. */
function bringUpAgain(preview: Preview): void {
  const s = preview.state;
  const why = s.recreate?.why ?? 'a creating event';
  const now = Date.now();
  if (s.recreate?.headSha) s.desiredHeadSha = s.recreate.headSha;
  s.recreate = undefined;
  s.teardown = undefined;
  s.closed = false;
  s.retainedUntil = undefined;
  s.provisioned = false;
  s.namespace = undefined;
  s.services = [];
  s.attemptedHeadSha = undefined;
  s.deployedHeadSha = undefined;
  s.redeployRequested = false;
  s.cost = undefined;
  s.expiry = { createdAt: now, idleFrom: now };
  preview.finishing = false;
  preview.recordEvent('recreated', why);
  preview.setPhase('Pending');
}

/**
 * Waits after a teardown: 'recreate' once a creating event asks for a new preview (the state is
 * reset for it), 'end' when the retention ran out, the teardown failed, or the run must end.
 */
export async function afterTeardown(preview: Preview): Promise<'recreate' | 'end'> {
  const s = preview.state;
  if (preview.endRun || s.phase !== 'Destroyed') return 'end';
  s.retainedUntil ??= Date.now() + preview.options.retainAfterTeardownMs;
  for (;;) {
    if (s.recreate) {
      bringUpAgain(preview);
      return 'recreate';
    }
    const remaining = s.retainedUntil - Date.now();
    if (remaining <= 0) return 'end';
    if (continueAsNewDue(preview)) {
      await condition(() => allHandlersFinished());
      if (!s.recreate) await continueAsNewNow(preview);
      continue;
    }
    const seen = preview.version;
    await condition(() => preview.version !== seen || continueAsNewDue(preview), remaining, { summary: 'Retention after teardown' });
  }
}
