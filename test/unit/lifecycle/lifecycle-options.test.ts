import { DEFAULT_LIFECYCLE_OPTIONS, resolveLifecycleOptions } from '../../../src/lifecycle';

describe('resolveLifecycleOptions', () => {
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

  it('overrides only what is given', () => {
    expect(resolveLifecycleOptions({ readinessTimeout: '2s', continueAsNewAfterEvents: 5 })).toMatchObject({ readinessTimeoutMs: 2_000, continueAsNewAfterEvents: 5, readinessSliceMs: 60_000 });
  });

  it('names the field of a bad value', () => {
    expect(() => resolveLifecycleOptions({ readinessSlice: 'never' })).toThrow(/readinessSlice/);
    expect(() => resolveLifecycleOptions({ deliveryMemory: 0 })).toThrow(/deliveryMemory/);
  });
});
