import { formatDuration, parseDuration, requirePositiveDuration } from '../../../src/config';

const H = 3_600_000;

describe('parseDuration', () => {
  it.each([
    ['4h', 4 * H],
    ['90m', 90 * 60_000],
    ['1h30m', 1.5 * H],
    ['1h 30m', 1.5 * H],
    ['1.5d', 36 * H],
    ['7d', 168 * H],
    ['2w', 336 * H],
    ['30s', 30_000],
    ['250ms', 250],
    [' 4H ', 4 * H],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it('keeps the sign so callers can say "must be positive"', () => {
    expect(parseDuration('-1h')).toEqual({ ok: true, ms: -H });
    expect(parseDuration('0m')).toEqual({ ok: true, ms: 0 });
  });

  it.each([['abc'], [''], ['4'], ['4x'], ['h4'], ['4h garbage'], ['1e3h']])('refuses %j with a reason that shows the grammar', (text) => {
    const parsed = parseDuration(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/4h/);
  });

  it.each([[4], [null], [undefined], [{ by: '4h' }]])('refuses a non-string %j', (value) => {
    expect(parseDuration(value).ok).toBe(false);
  });
});

describe('requirePositiveDuration', () => {
  it('names the field of a bad value', () => {
    expect(() => requirePositiveDuration('ttl.max', 'forever')).toThrow(/^ttl\.max: /);
    expect(() => requirePositiveDuration('ttl.max', '0h')).toThrow(/ttl\.max: .*must be positive/);
    expect(requirePositiveDuration('ttl.max', '7d')).toBe(168 * H);
  });
});

describe('formatDuration', () => {
  it.each([
    [4 * H, '4h'],
    [3 * H + 59 * 60_000, '3h59m'],
    [28 * H, '1d4h'],
    [1_500, '1s500ms'],
    [0, '0s'],
    [-H, '-1h'],
  ])('renders %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 61_000, 3 * H + 1, 170 * H]) expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
  });
});
