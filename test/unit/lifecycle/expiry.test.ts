import { applyExtension, checkExtension, expiryView, newExpiry, resolveTtlPolicy, touch } from '../../../src/lifecycle';

const H = 3_600_000;
const T0 = Date.parse('2030-01-01T00:00:00Z');
const policy = resolveTtlPolicy();
const LABEL = policy.extendedLabel;

describe('expiry', () => {
  it('is 4 h after creation by default', () => {
    expect(expiryView(newExpiry(T0), policy, ['preview'])).toEqual({ expiresAt: T0 + 4 * H, hardCapAt: T0 + 168 * H, idleTtlMs: 4 * H, extendedTtl: false });
  });

  it('is 24 h with the extended label, and back to 4 h when the label goes', () => {
    const e = newExpiry(T0);
    expect(expiryView(e, policy, [LABEL]).expiresAt).toBe(T0 + 24 * H);
    expect(expiryView(e, policy, []).expiresAt).toBe(T0 + 4 * H);
  });

  it('restarts the idle TTL on a push', () => {
    const pushed = touch(newExpiry(T0), T0 + 3 * H);
    expect(expiryView(pushed, policy, []).expiresAt).toBe(T0 + 7 * H);
  });

  it('never moves the idle clock backwards (late events)', () => {
    const pushed = touch(touch(newExpiry(T0), T0 + 3 * H), T0 + H);
    expect(expiryView(pushed, policy, []).expiresAt).toBe(T0 + 7 * H);
  });

  it('never passes the hard cap, whatever the pushes and labels', () => {
    const late = touch(newExpiry(T0), T0 + 160 * H);
    expect(expiryView(late, policy, [LABEL]).expiresAt).toBe(T0 + 168 * H);
  });

  it('keeps an explicit extension when a push would expire earlier', () => {
    const extended = applyExtension(newExpiry(T0), T0 + 20 * H);
    expect(expiryView(touch(extended, T0 + H), policy, []).expiresAt).toBe(T0 + 20 * H);
  });
});

describe('checkExtension', () => {
  const strict = { allowClamp: false };

  it('adds the duration to the current expiry (3h59m in, +4h → 8 h after creation)', () => {
    const e = newExpiry(T0);
    const check = checkExtension(e, policy, [], '4h', strict);
    expect(check).toEqual({ ok: true, byMs: 4 * H, expiresAt: T0 + 8 * H, clamped: false });
    if (check.ok) expect(expiryView(applyExtension(e, check.expiresAt), policy, []).expiresAt).toBe(T0 + 8 * H);
  });

  it.each([
    ['0h', /must be positive/],
    ['-2h', /must be positive/],
    ['soon', /cannot read duration "soon"/],
    ['', /empty/],
    [undefined, /must be a string/],
  ])('refuses %j and says why', (by, reason) => {
    const check = checkExtension(newExpiry(T0), policy, [], by, strict);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });

  it('refuses to pass the hard cap and says how much is left', () => {
    const e = applyExtension(newExpiry(T0), T0 + 166 * H);
    const check = checkExtension(e, policy, [], '3h', strict);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(/hard cap of 7d .*2030-01-08T00:00:00.000Z.*at most 2h can be added/);
  });

  it('accepts an extension that ends exactly at the hard cap', () => {
    expect(checkExtension(newExpiry(T0), policy, [], '164h', strict)).toMatchObject({ ok: true, expiresAt: T0 + 168 * H });
  });

  it('stops at the hard cap when clamping is allowed (the signal), and refuses once there', () => {
    const e = newExpiry(T0);
    const clamped = checkExtension(e, policy, [], '30d', { allowClamp: true });
    expect(clamped).toEqual({ ok: true, byMs: 164 * H, expiresAt: T0 + 168 * H, clamped: true });
    const atCap = applyExtension(e, T0 + 168 * H);
    expect(checkExtension(atCap, policy, [], '1m', { allowClamp: true }).ok).toBe(false);
  });

  it('counts the cap from creation, not from the last push', () => {
    const e = touch(newExpiry(T0), T0 + 100 * H);
    expect(checkExtension(e, policy, [], `${64 * 60 + 1}m`, strict).ok).toBe(false);
    expect(checkExtension(e, policy, [], `${64 * 60}m`, strict)).toMatchObject({ ok: true, expiresAt: T0 + 168 * H });
  });
});
