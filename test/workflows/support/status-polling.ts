import type { PreviewHandle } from './fixtures';
import { type PreviewStatus, statusQuery } from '../../../workflows/contract';

/**
 * Polls the status query until `accept` holds. Queries are cheap and answer from the worker's
 * cache, so a short interval costs nothing; the timeout message shows the last status.
 */
export async function untilStatus(handle: PreviewHandle, accept: (s: PreviewStatus) => boolean, what: string, timeoutMs = 30_000): Promise<PreviewStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: PreviewStatus | undefined;
  for (;;) {
    last = await handle.query(statusQuery);
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last status: ${JSON.stringify(last, null, 2)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const phaseIs =
  (...phases: PreviewStatus['phase'][]) =>
  (s: PreviewStatus): boolean =>
    phases.includes(s.phase);

/** Visibility is eventually consistent: poll a listing until it returns something. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
