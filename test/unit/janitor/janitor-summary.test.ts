import { summarizeJanitorRun } from '../../../src/janitor';
import type { OrphanCandidate, OrphanScan } from '../../../workflows/contract';

const orphan = (namespace: string): OrphanCandidate => ({
  namespace,
  uid: `uid-${namespace}`,
  workflowId: `preview:acme/${namespace}#1`,
  preview: { repository: 'acme/x', repoKey: 'x', prNumber: 1 },
  ageMs: 1,
  detail: 'gone',
});

const scan: OrphanScan = {
  found: 6,
  orphans: [orphan('pr-a-1'), orphan('pr-b-1'), orphan('pr-c-1'), orphan('pr-d-1')],
  skipped: [
    { namespace: 'pr-e-1', reason: 'owned', detail: 'running' },
    { namespace: 'pr-f-1', reason: 'too-young', detail: 'young' },
  ],
};

describe('summarizeJanitorRun', () => {
  it('sorts teardown outcomes and counts every skip by reason, from the scan and the re-checks', () => {
    const summary = summarizeJanitorRun({ retentionMs: 1, dryRun: false }, scan, [
      { outcome: 'deleted', namespace: 'pr-a-1', deletedApplications: ['a'], deletedRoutes: [] },
      { outcome: 'gone', namespace: 'pr-b-1' },
      { outcome: 'skipped', namespace: 'pr-c-1', reason: 'owned', detail: 'reopened' },
      { namespace: 'pr-d-1', error: 'TeardownStuck: Application still present' },
    ]);
    expect(summary).toEqual({
      dryRun: false,
      found: 6,
      deleted: ['pr-a-1'],
      gone: ['pr-b-1'],
      wouldDelete: [],
      skipped: [...scan.skipped, { namespace: 'pr-c-1', reason: 'owned', detail: 'reopened' }],
      skippedByReason: { owned: 2, 'too-young': 1 },
      failed: [{ namespace: 'pr-d-1', error: 'TeardownStuck: Application still present' }],
    });
  });

  it('lists the confirmed orphans as would-delete in a dry run, and deletes none', () => {
    const summary = summarizeJanitorRun({ retentionMs: 1, dryRun: true }, scan, []);
    expect(summary.wouldDelete).toEqual(['pr-a-1', 'pr-b-1', 'pr-c-1', 'pr-d-1']);
    expect(summary.deleted).toEqual([]);
    expect(summary.skippedByReason).toEqual({ owned: 1, 'too-young': 1 });
  });
});
