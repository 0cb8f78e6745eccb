// Seed 004 caps model calls per minute. A sliding window over the last 60 s of call times:
// a call that does not fit is not queued (the caller falls back to the static choice at once,
// which is better than holding a deploy for up to a minute).

const WINDOW_MS = 60_000;

export class PerMinuteLimiter {
  private readonly calls: number[] = [];

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  tryAcquire(): boolean {
    const t = this.now();
    while (this.calls.length > 0 && (this.calls[0] as number) <= t - WINDOW_MS) this.calls.shift();
    if (this.calls.length >= this.perMinute) return false;
    this.calls.push(t);
    return true;
  }
}
