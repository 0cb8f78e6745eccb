import { serviceConfigSchema } from '../../../src/config';
import { expiryView, newExpiry, previewStatus, projectCost, resolveTtlPolicy, updateServiceStates } from '../../../src/lifecycle';
import type { PreviewState } from '../../../workflows/contract';

const H = 3_600_000;
const T0 = Date.parse('2030-01-01T00:00:00Z');
const source = { repoURL: 'https://git.example.test/x.git', path: 'x', image: 'img/x' };
const services = [serviceConfigSchema.parse({ name: 'db', phase: 610, source }), serviceConfigSchema.parse({ name: 'web', expose: { port: 80 }, source })];

/** The status shows the expiry view the workflow keeps for the state. */
const viewOf = (s: PreviewState) => expiryView(s.expiry, resolveTtlPolicy(), s.labels);

function state(fields: Partial<PreviewState> = {}): PreviewState {
  return {
    workflowId: 'preview:acme/shop#7',
    repository: 'acme/shop',
    prNumber: 7,
    repoKey: 'shop',
    labels: ['preview'],
    phase: 'Ready',
    desiredHeadSha: 'b'.repeat(40),
    deployedHeadSha: 'a'.repeat(40),
    redeployRequested: false,
    provisioned: true,
    namespace: 'pr-shop-7',
    services: [],
    expiry: newExpiry(T0),
    deliveries: [],
    recentEvents: [],
    eventsHandled: 3,
    run: 2,
    ...fields,
  };
}

describe('previewStatus', () => {
  it('shows expiry, TTL, URLs and the cost projected to expiry', () => {
    const s = state({
      cost: { perHour: 0.5, currency: 'USD', computedAt: new Date(T0).toISOString() },
      services: updateServiceStates([], services, [
        { name: 'web', state: 'Ready', url: 'https://web-pr-7.example.test' },
        { name: 'db', state: 'Ready' },
      ]),
    });
    const status = previewStatus(s, viewOf(s), T0 + H);
    expect(status).toMatchObject({
      phase: 'Ready',
      desiredHeadSha: 'b'.repeat(40),
      deployedHeadSha: 'a'.repeat(40),
      namespace: 'pr-shop-7',
      urls: [{ service: 'web', url: 'https://web-pr-7.example.test' }],
      createdAt: '2030-01-01T00:00:00.000Z',
      expiresAt: '2030-01-01T04:00:00.000Z',
      hardCapAt: '2030-01-08T00:00:00.000Z',
      idleTtl: '4h',
      extendedTtl: false,
      cost: { perHour: 0.5, projectedToExpiry: 1.5, currency: 'USD' },
      eventsHandled: 3,
      run: 2,
    });
    expect(status.services.map((x) => x.name)).toEqual(['db', 'web']);
  });

  it('is plain JSON', () => {
    const s = state();
    const status = previewStatus(s, viewOf(s), T0);
    expect(JSON.parse(JSON.stringify(status))).toEqual(JSON.parse(JSON.stringify(status)));
    expect(typeof status.expiresAt).toBe('string');
  });
});

describe('projectCost', () => {
  it('is the hourly rate times the hours left, never negative', () => {
    expect(projectCost(0.25, T0, T0 + 4 * H)).toBe(1);
    expect(projectCost(0.25, T0 + 5 * H, T0 + 4 * H)).toBe(0);
  });
});

describe('updateServiceStates', () => {
  it('keeps config order and the rollout phase, and ignores unknown services', () => {
    const next = updateServiceStates([], services, [{ name: 'web', state: 'Deploying' }, { name: 'ghost', state: 'Ready' }, { name: 'db', state: 'Pending' }]);
    expect(next).toEqual([
      { name: 'db', rolloutPhase: 610, state: 'Pending' },
      { name: 'web', rolloutPhase: 650, state: 'Deploying' },
    ]);
    expect(updateServiceStates(next, services, [{ name: 'web', state: 'Ready', headSha: 'c' }])[1]).toEqual({ name: 'web', rolloutPhase: 650, state: 'Ready', headSha: 'c' });
  });
});
