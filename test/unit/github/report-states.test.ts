import { commitStatusFor, deploymentStatusFor, previewEnvironmentName, type ReportSnapshot } from '../../../src/github';
import { readyReport } from './fixtures';
import { PREVIEW_PHASES } from '../../../workflows/contract';

const logUrl = 'http://temporal.example/namespaces/default/workflows/x';

describe('previewEnvironmentName', () => {
  it('is preview/<repo>/pr-<n>, lower-cased', () => {
    expect(previewEnvironmentName({ repository: 'Acme/Shop', prNumber: 42 })).toBe('preview/shop/pr-42');
  });
});

describe('commitStatusFor', () => {
  it.each([
    ['Pending', 'pending', 'Preview queued'],
    ['Provisioning', 'pending', 'Preparing the preview namespace'],
    ['Deploying', 'pending', 'Deploying the preview (2/2 services ready)'],
    ['Ready', 'success', 'Preview ready (2 services, $0.1125/h)'],
    ['Degraded', 'failure', 'Preview degraded (2/2 services ready): why'],
    ['Blocked', 'failure', 'Preview blocked: why'],
    ['Failed', 'error', 'Preview failed: why'],
    ['TearingDown', 'success', 'Removing the preview: why'],
    ['Destroyed', 'success', 'Preview removed: why'],
  ] as const)('%s → %s', (phase, state, description) => {
    const reason = ['Degraded', 'Blocked', 'Failed', 'TearingDown', 'Destroyed'].includes(phase) ? 'why' : undefined;
    expect(commitStatusFor(readyReport({ phase, reason }))).toMatchObject({ state, description });
  });

  it('links the preview when it is live, otherwise the workflow run', () => {
    expect(commitStatusFor(readyReport(), { logUrl }).targetUrl).toBe('https://www-pr-42.dev.example.com');
    expect(commitStatusFor(readyReport({ phase: 'Deploying' }), { logUrl }).targetUrl).toBe(logUrl);
    expect(commitStatusFor(readyReport({ phase: 'Deploying' })).targetUrl).toBeUndefined();
  });

  it("keeps descriptions within GitHub's 140 characters", () => {
    const view = commitStatusFor(readyReport({ phase: 'Failed', reason: 'x'.repeat(500) }));
    expect(view.description).toHaveLength(140);
    expect(view.description.endsWith('…')).toBe(true);
  });
});

describe('deploymentStatusFor', () => {
  const stateOf = (r: ReportSnapshot) => deploymentStatusFor(r)?.state;

  it('goes in_progress while deploying, then success or failure', () => {
    expect(['Pending', 'Provisioning', 'Deploying'].map((phase) => stateOf(readyReport({ phase: phase as ReportSnapshot['phase'] })))).toEqual(['in_progress', 'in_progress', 'in_progress']);
    expect(stateOf(readyReport())).toBe('success');
    expect(stateOf(readyReport({ phase: 'Degraded' }))).toBe('failure');
    expect(stateOf(readyReport({ phase: 'Blocked' }))).toBe('failure');
    expect(stateOf(readyReport({ phase: 'Failed' }))).toBe('failure');
  });

  it('leaves the deployment alone during teardown and makes it inactive at the end, with the URL', () => {
    expect(deploymentStatusFor(readyReport({ phase: 'TearingDown' }))).toBeUndefined();
    expect(deploymentStatusFor(readyReport({ phase: 'Destroyed', final: true }))).toEqual({
      state: 'inactive',
      description: 'Preview removed',
      environmentUrl: 'https://www-pr-42.dev.example.com',
    });
    // A failed teardown still ends the deployment: the final report says the preview is over.
    expect(stateOf(readyReport({ phase: 'Failed', final: true }))).toBe('inactive');
  });

  it('covers every phase', () => {
    for (const phase of PREVIEW_PHASES) expect(() => commitStatusFor(readyReport({ phase }))).not.toThrow();
  });
});

describe('a report whose phase belongs to an older head', () => {
  // Right after a push the workflow is still Ready for the previous head.
  const pushed = readyReport({ headSha: 'b'.repeat(40), deployedHeadSha: 'a'.repeat(40) });

  it('is queued for the new head, not a success', () => {
    expect(commitStatusFor(pushed)).toEqual({ state: 'pending', description: 'Preview queued' });
    expect(deploymentStatusFor(pushed)?.state).toBe('in_progress');
    expect(deploymentStatusFor(readyReport({ phase: 'Degraded', headSha: 'b'.repeat(40), deployedHeadSha: 'a'.repeat(40) }))?.state).toBe('in_progress');
  });

  it('keeps its phase when the head is the deployed one, or when the report does not say', () => {
    expect(commitStatusFor(readyReport({ deployedHeadSha: readyReport().headSha })).state).toBe('success');
    expect(commitStatusFor(readyReport()).state).toBe('success');
    expect(deploymentStatusFor({ ...pushed, phase: 'Destroyed', final: true })?.state).toBe('inactive');
  });
});
