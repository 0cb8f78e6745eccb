import { KubeApi, retryAfterMs, throttleDelay, type KubeResponse } from '../../../activities/kubernetes';

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates; anything else is absent', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs(' 0 ')).toBe(0);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs('-1')).toBeUndefined();
  });

  it('is honoured on 429 and on a 503 that carries it, bounded per wait and in total', () => {
    expect(throttleDelay({ status: 429, body: undefined, retryAfterMs: 2_000 }, 1, 0)).toBe(2_000);
    expect(throttleDelay({ status: 429, body: undefined }, 2, 0)).toBe(400);
    expect(throttleDelay({ status: 503, body: undefined, retryAfterMs: 1_000 }, 1, 0)).toBe(1_000);
    expect(throttleDelay({ status: 503, body: undefined }, 1, 0)).toBeUndefined();
    expect(throttleDelay({ status: 500, body: undefined, retryAfterMs: 1 }, 1, 0)).toBeUndefined();
    // An hour is capped at 10 s; the sixth attempt and a spent budget give up.
    expect(throttleDelay({ status: 429, body: undefined, retryAfterMs: 3_600_000 }, 1, 0)).toBe(10_000);
    expect(throttleDelay({ status: 429, body: undefined, retryAfterMs: 1 }, 6, 0)).toBeUndefined();
    expect(throttleDelay({ status: 429, body: undefined, retryAfterMs: 10_000 }, 3, 15_000)).toBeUndefined();
  });

  it('KubeApi sleeps what the server asks, then returns the answer', async () => {
    const answers: KubeResponse[] = [
      { status: 429, body: {}, retryAfterMs: 1_500 },
      { status: 429, body: {} },
      { status: 200, body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } } },
    ];
    const slept: number[] = [];
    const api = new KubeApi(
      () => Promise.resolve(answers.shift()!),
      (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    );
    expect(await api.get({ apiVersion: 'v1', kind: 'Namespace', name: 'a' })).toMatchObject({ metadata: { name: 'a' } });
    expect(slept).toEqual([1_500, 400]);
  });
});
