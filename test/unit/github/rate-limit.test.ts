import { rateLimitWait } from '../../../src/github';

const now = Date.parse('2026-11-23T10:00:00Z');
const seconds = (s: number) => now / 1000 + s;

describe('rateLimitWait', () => {
  it('waits for x-ratelimit-reset on a primary limit (plus a second of margin)', () => {
    const res = { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(seconds(90)) }, message: 'API rate limit exceeded for installation ID 1.' };
    expect(rateLimitWait(res, now)).toEqual({ kind: 'primary', delayMs: 91_000 });
    expect(rateLimitWait({ ...res, status: 429 }, now)).toEqual({ kind: 'primary', delayMs: 91_000 });
  });

  it('does not wait negative time when the reset has passed', () => {
    expect(rateLimitWait({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(seconds(-30)) }, message: '' }, now)).toEqual({ kind: 'primary', delayMs: 1_000 });
  });

  it('honours retry-after on a secondary limit, in seconds or as a date', () => {
    expect(rateLimitWait({ status: 403, headers: { 'retry-after': '17' }, message: 'You have exceeded a secondary rate limit.' }, now)).toEqual({ kind: 'secondary', delayMs: 17_000 });
    expect(rateLimitWait({ status: 429, headers: { 'retry-after': new Date(now + 5_000).toUTCString() }, message: '' }, now)).toEqual({ kind: 'secondary', delayMs: 5_000 });
  });

  it('waits a minute on a secondary limit without retry-after, as GitHub asks', () => {
    expect(rateLimitWait({ status: 403, headers: {}, message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, now)).toEqual({ kind: 'secondary', delayMs: 60_000 });
    expect(rateLimitWait({ status: 429, headers: {}, message: '' }, now)).toEqual({ kind: 'secondary', delayMs: 60_000 });
  });

  it('is not a rate limit when the 403 is a missing permission, or for other statuses', () => {
    expect(rateLimitWait({ status: 403, headers: { 'x-ratelimit-remaining': '4999' }, message: 'Resource not accessible by integration' }, now)).toBeUndefined();
    expect(rateLimitWait({ status: 404, headers: { 'retry-after': '5' }, message: 'Not Found' }, now)).toBeUndefined();
  });
});
