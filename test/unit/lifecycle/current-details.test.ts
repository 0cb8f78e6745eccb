import { currentDetails, expiryView, newExpiry, resolveTtlPolicy } from '../../../src/lifecycle';
import type { PreviewState } from '../../../workflows/contract';

// The markdown the Temporal UI shows as a run's current details.

const T0 = Date.parse('2030-01-01T00:00:00Z');

function state(fields: Partial<PreviewState> = {}): PreviewState {
  return {
    workflowId: 'preview:acme/shop#7',
    repository: 'acme/shop',
    prNumber: 7,
    repoKey: 'shop',
    labels: ['preview'],
    phase: 'Ready',
    desiredHeadSha: 'b'.repeat(40),
    deployedHeadSha: 'b'.repeat(40),
    redeployRequested: false,
    provisioned: true,
    namespace: 'pr-shop-7',
    services: [{ name: 'web', rolloutPhase: 640, state: 'Ready', url: 'https://web-pr-7.preview.example.test' }],
    expiry: newExpiry(T0),
    deliveries: [],
    recentEvents: [],
    eventsHandled: 3,
    run: 1,
    ...fields,
  };
}

const details = (s: PreviewState): string => currentDetails(s, expiryView(s.expiry, resolveTtlPolicy(), s.labels));

describe('currentDetails', () => {
  it('shows phase, URLs, the short head, namespace, expiry and cost', () => {
    const text = details(state({ cost: { perHour: 0.125, currency: 'USD', computedAt: new Date(T0).toISOString() } }));
    expect(text).toContain('**Phase:** Ready');
    expect(text).toContain('[web](https://web-pr-7.preview.example.test)');
    expect(text).toContain('**Head:** `bbbbbbb`');
    expect(text).not.toContain('deployed');
    expect(text).toContain('`pr-shop-7`');
    expect(text).toMatch(/\*\*Expires:\*\* 2030-01-0\dT/);
    expect(text).toContain('**Cost:** 0.13 USD/h');
  });

  it('names a deployed head that lags the desired one, the failure reason and the last error on one line', () => {
    const text = details(
      state({
        phase: 'Degraded',
        failureReason: 'web not ready',
        deployedHeadSha: 'a'.repeat(40),
        services: [],
        lastError: { step: 'deployApps', type: 'KubernetesForbidden', message: `forbidden:\n${'x'.repeat(400)}`, at: '2030-01-01T01:00:00.000Z' },
      }),
    );
    expect(text).toContain('**Phase:** Degraded (web not ready)');
    expect(text).toContain('**URLs:** none yet');
    expect(text).toContain('(deployed `aaaaaaa`)');
    const errorLine = text.split('\n').find((l) => l.startsWith('**Last error:**'))!;
    expect(errorLine).toContain('deployApps (KubernetesForbidden) at 2030-01-01T01:00:00.000Z: forbidden: x');
    expect(errorLine.length).toBeLessThan(300);
  });

  it('shows the teardown reason instead of an expiry once teardown is requested', () => {
    const text = details(state({ teardown: { reason: 'PR closed', requestedAt: new Date(T0).toISOString() } }));
    expect(text).toContain('**Expiry:** teardown requested (PR closed)');
    expect(text).not.toContain('**Expires:**');
  });
});
