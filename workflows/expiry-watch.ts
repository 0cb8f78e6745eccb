import { condition, isCancellation } from '@temporalio/workflow';
import type { Preview } from './preview';

function expiryReason(preview: Preview): string {
  const view = preview.expiry;
  return view.expiresAt === view.hardCapAt ? `expired: reached the hard cap at ${new Date(view.hardCapAt).toISOString()}` : `expired at ${new Date(view.expiresAt).toISOString()}`;
}

/**
 * The TTL timer, running beside everything else so that a deploy stuck behind an outage still
 * ends at expiry. The timer is replaced only when the expiry moves (push, extend, label), not
 * on every change of state, to keep timer events out of the history.
 */
export async function watchExpiry(preview: Preview): Promise<void> {
  try {
    while (!preview.state.teardown) {
      const at = preview.expiry.expiresAt;
      const remaining = at - Date.now();
      if (remaining <= 0) return preview.requestTeardown(expiryReason(preview));
      await condition(() => preview.state.teardown !== undefined || preview.expiry.expiresAt !== at, remaining, { summary: 'TTL: the preview expires' });
    }
  } catch (err) {
    // Workflow cancellation: the main loop handles it and tears down.
    if (!isCancellation(err)) throw err;
  }
}
