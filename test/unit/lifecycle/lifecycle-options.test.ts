import fc from 'fast-check';
import { DEFAULT_LIFECYCLE_OPTIONS, resolveLifecycleOptions } from '../../../src/lifecycle';
import { durationMs, lifecycleConfigSchema, type LifecycleOptions } from '../../../src/config';

const SEED = Number(process.env.PREVIEWD_FC_SEED ?? Date.now() % 2 ** 31);

const durationValue = fc.oneof(fc.constantFrom('15m', '1m', '2s', '1h30m', '0s', '-5m', 'never', ''), fc.constantFrom(undefined, null, 60, false), fc.string({ maxLength: 5 }));
const countValue = fc.oneof(
  fc.integer({ min: -3, max: 5_000 }),
  fc.constantFrom(undefined, null, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, '25', true),
  fc.double({ min: -10, max: 10 }),
);
const optionsArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      readinessTimeout: durationValue,
      readinessSlice: durationValue,
      continueAsNewAfterEvents: countValue,
      deliveryMemory: countValue,
      recentEvents: countValue,
      retainAfterTeardown: durationValue,
      reportRetry: durationValue,
      reportRetryMax: durationValue,
      surprise: fc.constantFrom('x'),
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom(undefined, null, 'options', 5, []),
);

describe('resolveLifecycleOptions', () => {
  beforeAll(() => console.info(`fast-check seed ${SEED} (repeat with PREVIEWD_FC_SEED=${SEED})`));

  it('has defaults for every knob', () => {
    expect(resolveLifecycleOptions()).toEqual({
      readinessTimeoutMs: 15 * 60_000,
      readinessSliceMs: 60_000,
      continueAsNewAfterEvents: DEFAULT_LIFECYCLE_OPTIONS.continueAsNewAfterEvents,
      deliveryMemory: DEFAULT_LIFECYCLE_OPTIONS.deliveryMemory,
      recentEvents: DEFAULT_LIFECYCLE_OPTIONS.recentEvents,
      // GitHub lets people redeliver the past 3 days' deliveries by hand.
      retainAfterTeardownMs: 3 * 24 * 3_600_000,
      reportRetryMs: 60_000,
      reportRetryMaxMs: 30 * 60_000,
    });
  });

  it("matches the lifecycle config schema's defaults", () => {
    expect(lifecycleConfigSchema.parse({})).toEqual(DEFAULT_LIFECYCLE_OPTIONS);
  });

  it('overrides only what is given', () => {
    expect(resolveLifecycleOptions({ readinessTimeout: '2s', continueAsNewAfterEvents: 5 })).toMatchObject({ readinessTimeoutMs: 2_000, continueAsNewAfterEvents: 5, readinessSliceMs: 60_000 });
  });

  it('names the field of a bad value', () => {
    expect(() => resolveLifecycleOptions({ readinessSlice: 'never' })).toThrow(/readinessSlice/);
    expect(() => resolveLifecycleOptions({ deliveryMemory: 0 })).toThrow(/deliveryMemory/);
    expect(() => resolveLifecycleOptions({ recentEvents: 2.5, readinessTimeout: '0s' })).toThrow(/readinessTimeout: .*; recentEvents: /);
    expect(() => resolveLifecycleOptions('fast' as LifecycleOptions)).toThrow(/^options: must be an object$/);
  });

  it('accepts and resolves exactly what the config schema accepts, on generated options', () => {
    fc.assert(
      fc.property(optionsArb, (options) => {
        const parsed = lifecycleConfigSchema.safeParse(options === undefined ? {} : options);
        let resolved: ReturnType<typeof resolveLifecycleOptions> | undefined;
        try {
          resolved = resolveLifecycleOptions(options as LifecycleOptions);
        } catch {
          resolved = undefined;
        }
        if (!parsed.success) return expect(resolved).toBeUndefined();
        const o = parsed.data;
        expect(resolved).toEqual({
          readinessTimeoutMs: durationMs(o.readinessTimeout),
          readinessSliceMs: durationMs(o.readinessSlice),
          continueAsNewAfterEvents: o.continueAsNewAfterEvents,
          deliveryMemory: o.deliveryMemory,
          recentEvents: o.recentEvents,
          retainAfterTeardownMs: durationMs(o.retainAfterTeardown),
          reportRetryMs: durationMs(o.reportRetry),
          reportRetryMaxMs: Math.max(durationMs(o.reportRetry), durationMs(o.reportRetryMax)),
        });
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });
});
