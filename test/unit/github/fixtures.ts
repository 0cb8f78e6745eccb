import type { ReportSnapshot } from '../../../src/github';

export const SHA = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';

/** A Ready preview of acme/shop#42 with two services, one exposed. */
export function readyReport(overrides: Partial<ReportSnapshot> = {}): ReportSnapshot {
  return {
    workflowId: 'preview:acme/shop#42',
    preview: { repository: 'acme/shop', prNumber: 42 },
    headSha: SHA,
    phase: 'Ready',
    namespace: 'pr-shop-42',
    urls: [{ service: 'www', url: 'https://www-pr-42.dev.example.com' }],
    services: [
      { name: 'api', state: 'Ready' },
      { name: 'www', state: 'Ready', url: 'https://www-pr-42.dev.example.com' },
    ],
    cost: { currency: 'USD', perHour: 0.1125, projectedToExpiry: 0.45 },
    expiresAt: '2026-11-23T14:00:00.000Z',
    hardCapAt: '2026-11-30T10:00:00.000Z',
    final: false,
    ...overrides,
  };
}
