import { PerMinuteLimiter } from '../../../src/ai';

describe('PerMinuteLimiter', () => {
  it('allows perMinute calls in any 60 s window', () => {
    let now = 0;
    const limiter = new PerMinuteLimiter(2, () => now);
    expect([limiter.tryAcquire(), limiter.tryAcquire(), limiter.tryAcquire()]).toEqual([true, true, false]);
    now = 59_999;
    expect(limiter.tryAcquire()).toBe(false);
    now = 60_000;
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(false);
  });
});
