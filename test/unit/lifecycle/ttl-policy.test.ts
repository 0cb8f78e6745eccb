import { DEFAULT_TTL_POLICY, resolveTtlPolicy } from '../../../src/lifecycle';
import { ttlPolicySchema } from '../../../src/config';

const H = 3_600_000;

describe('resolveTtlPolicy', () => {
  it("defaults to seed 004's 4 h / 24 h with the label / 7 d hard cap", () => {
    expect(resolveTtlPolicy()).toEqual({ defaultMs: 4 * H, extendedMs: 24 * H, extendedLabel: 'preview/do-not-expire', maxMs: 168 * H });
  });

  it("matches the repository config schema's defaults", () => {
    expect(ttlPolicySchema.parse({})).toEqual(DEFAULT_TTL_POLICY);
  });

  it('is configurable', () => {
    expect(resolveTtlPolicy({ default: '30m', extended: '2d', extendedLabel: 'keep', max: '3d' })).toEqual({
      defaultMs: 30 * 60_000,
      extendedMs: 48 * H,
      extendedLabel: 'keep',
      maxMs: 72 * H,
    });
  });

  it('names the field of an unusable value', () => {
    expect(() => resolveTtlPolicy({ ...DEFAULT_TTL_POLICY, default: 'soon' })).toThrow(/ttl\.default/);
    expect(() => resolveTtlPolicy({ ...DEFAULT_TTL_POLICY, max: '0d' })).toThrow(/ttl\.max/);
    expect(() => resolveTtlPolicy({ ...DEFAULT_TTL_POLICY, extended: '8d' })).toThrow(/ttl\.extended .* longer than ttl\.max/);
  });
});
