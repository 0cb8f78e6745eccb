import { heartbeat, sleep } from '@temporalio/activity';
import type { Clock } from '../clock';

export type PollStep<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly progress: unknown };

/**
 * Probes until done or the deadline passes, heartbeating the latest progress each round so a
 * stuck worker is noticed and the UI shows what is being waited on. `sleep` is the activity's
 * own: it throws when the activity is cancelled, so a cancelled wait ends promptly.
 * Returns the last progress when the deadline passes: the caller decides what that means.
 */
export async function pollUntil<T>(
  clock: Clock,
  opts: { readonly intervalMs: number; readonly timeoutMs: number },
  probe: () => Promise<PollStep<T>>,
): Promise<PollStep<T>> {
  const deadline = clock.now() + opts.timeoutMs;
  for (;;) {
    const step = await probe();
    if (step.done) return step;
    heartbeat(step.progress);
    if (clock.now() >= deadline) return step;
    await sleep(Math.min(opts.intervalMs, Math.max(1, deadline - clock.now())));
  }
}
