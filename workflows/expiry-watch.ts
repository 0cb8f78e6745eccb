import { condition, isCancellation } from '@temporalio/workflow';
import { expiryView } from '../src/lifecycle';
import { requestTeardown, type Runtime } from './lifecycle-runtime';

function expiresAt(rt: Runtime): number {
  return expiryView(rt.state.expiry, rt.ttl, rt.state.labels).expiresAt;
}

function expiryReason(rt: Runtime): string {
  const view = expiryView(rt.state.expiry, rt.ttl, rt.state.labels);
  return view.expiresAt === view.hardCapAt ? `expired: reached the hard cap at ${new Date(view.hardCapAt).toISOString()}` : `expired at ${new Date(view.expiresAt).toISOString()}`;
}

/**
 * The TTL timer, running beside everything else so that a deploy stuck behind an outage still
 * ends at expiry. The timer is replaced only when the expiry moves (push, extend, label), not
 * on every change of state, to keep timer events out of the history.
 */
export async function watchExpiry(rt: Runtime): Promise<void> {
  try {
    while (!rt.state.teardown) {
      const at = expiresAt(rt);
      const remaining = at - Date.now();
      if (remaining <= 0) return requestTeardown(rt, expiryReason(rt));
      await condition(() => rt.state.teardown !== undefined || expiresAt(rt) !== at, remaining);
    }
  } catch (err) {
    // Workflow cancellation: the main loop handles it and tears down.
    if (!isCancellation(err)) throw err;
  }
}
