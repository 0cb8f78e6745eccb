import fc from 'fast-check';
import { DEFAULT_TTL_POLICY, resolveTtlPolicy } from '../../../src/lifecycle';
import { durationMs, ttlPolicySchema, type TtlPolicyInput } from '../../../src/config';

const H = 3_600_000;
const SEED = Number(process.env.PREVIEWD_FC_SEED ?? Date.now() % 2 ** 31);

/** Values a TTL key may be written with, usable or not: what a config file or a hand-started run could hold. */
const durationValue = fc.oneof(
  fc.constantFrom('4h', '24h', '7d', '30m', '1d12h', '8d', ' 2h ', '1.5d', '90s'),
  fc.constantFrom('0d', '-1h', 'soon', '', '4 hours', '1e3h', 'h'),
  fc.constantFrom(undefined, null, 4, 0, true, ['4h'], {}),
  fc.string({ maxLength: 6 }),
);
const labelValue = fc.oneof(fc.constantFrom('preview/do-not-expire', 'keep', ''), fc.constantFrom(undefined, null, 7), fc.string({ maxLength: 4 }));
const policyArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ default: durationValue, extended: durationValue, extendedLabel: labelValue, max: durationValue, surprise: fc.constantFrom(1) }, { requiredKeys: [] }),
  fc.constantFrom(undefined, null, 'ttl', 3, []),
);

describe('resolveTtlPolicy', () => {
  beforeAll(() => console.info(`fast-check seed ${SEED} (repeat with PREVIEWD_FC_SEED=${SEED})`));

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
    expect(() => resolveTtlPolicy({ ...DEFAULT_TTL_POLICY, extendedLabel: '' })).toThrow(/ttl\.extendedLabel/);
    expect(() => resolveTtlPolicy({ defualt: '1h' } as TtlPolicyInput)).toThrow(/^ttl: unknown key "defualt"$/);
  });

  // The workflow checks its input without zod (zod in the bundle costs every run's sandbox);
  // the config schema is the reference it must agree with, on usable and unusable values alike.
  it('accepts and resolves exactly what the config schema accepts, on generated policies', () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        const parsed = ttlPolicySchema.safeParse(policy === undefined ? {} : policy);
        let resolved: ReturnType<typeof resolveTtlPolicy> | undefined;
        try {
          resolved = resolveTtlPolicy(policy as TtlPolicyInput);
        } catch {
          resolved = undefined;
        }
        if (!parsed.success) return expect(resolved).toBeUndefined();
        const ttl = parsed.data;
        expect(resolved).toEqual({ defaultMs: durationMs(ttl.default), extendedMs: durationMs(ttl.extended), extendedLabel: ttl.extendedLabel, maxMs: durationMs(ttl.max) });
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });
});
