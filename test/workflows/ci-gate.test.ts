import type { Client } from '@temporalio/client';
import { previewWorkflowId } from '../../src/lifecycle';
import { uniqueId } from '../harness';
import { phaseIs, prEvent, repoConfig, sha, startPreview, previewWorkerPerFile, untilStatus, type RunningWorker } from './support';
import { checksChangedSignal, prEventSignal, type PreviewReport, type ReadChecksInput } from '../../workflows/contract';

// Wait for CI (`gate.checks`) on the dev server with activity doubles: the round waits in
// WaitingForChecks with nothing created, a check_run wake-up makes it read the checks again
// (the doubles answer as GitHub's check-runs API would), a failed check deploys nothing and
// names the check, and a push during the wait waits for the new head instead. The poll is an
// hour here, so only the signal can end a wait within the test.

let client: Client;
let w: RunningWorker;

previewWorkerPerFile('gate', (running) => {
  ({ client, worker: w } = running);
});

const repo = (what: string) => `acme/${uniqueId(what)}`;
const scriptOf = (repository: string) => w.doubles.for(previewWorkflowId({ repository, number: 7 }));
const reports = (repository: string) => scriptOf(repository).callsOf('reportPreview').map((c) => c.input as PreviewReport);
const created = (repository: string) => scriptOf(repository).calls.filter((c) => ['ensureNamespace', 'applyBaseline', 'deployApps'].includes(c.activity));
const gated = (repository: string, gate: Record<string, unknown> = {}) => repoConfig(repository, { gate: { checks: ['build'], timeout: '1h', pollInterval: '1h', ...gate } });
const completed = (conclusion: string, id = 1) => ({ checkRuns: [{ id, name: 'build', status: 'completed', conclusion }], statuses: [] });
const wake = (headSha: string) => ({ event: 'check_run' as const, headSha, deliveryId: uniqueId('delivery') });

async function waitingAt(repository: string, headSha: string) {
  const handle = await startPreview(client, w.taskQueue, { repository, headSha, config: gated(repository) });
  const waiting = await untilStatus(handle, phaseIs('WaitingForChecks'), 'WaitingForChecks');
  expect(waiting.failureReason).toBe('waiting for build');
  return handle;
}

describe('wait for CI', () => {
  it('waits with nothing created and the PR told which checks; a check_run success wake-up deploys', async () => {
    const repository = repo('pass');
    const handle = await waitingAt(repository, sha(1));
    const script = scriptOf(repository);
    await script.waitFor(() => reports(repository).find((r) => r.phase === 'WaitingForChecks'), 'the WaitingForChecks report');
    expect(reports(repository).find((r) => r.phase === 'WaitingForChecks')).toMatchObject({ headSha: sha(1), reason: 'waiting for build' });
    expect(created(repository)).toEqual([]);

    // A wake-up before anything changed reads again and keeps waiting: the signal itself proves nothing.
    await handle.signal(checksChangedSignal, wake(sha(1)));
    await script.waitFor(() => script.callsOf('readChecks').length >= 2 || undefined, 'a second look at the checks');
    expect((await untilStatus(handle, phaseIs('WaitingForChecks'), 'still waiting')).phase).toBe('WaitingForChecks');
    expect(created(repository)).toEqual([]);

    script.checks[sha(1)] = completed('success');
    await handle.signal(checksChangedSignal, wake(sha(1)));
    const ready = await untilStatus(handle, phaseIs('Ready'), 'Ready');
    expect(ready.deployedHeadSha).toBe(sha(1));
    expect(ready.recentEvents.map((e) => e.kind)).toContain('checks-passed');
    expect(script.callsOf('readChecks').map((c) => c.input as ReadChecksInput)).toEqual(expect.arrayContaining([expect.objectContaining({ headSha: sha(1), names: ['build'] })]));
  });

  it('a failed check deploys nothing, and the reason names the check', async () => {
    const repository = repo('fail');
    const handle = await waitingAt(repository, sha(1));
    scriptOf(repository).checks[sha(1)] = completed('failure');
    await handle.signal(checksChangedSignal, wake(sha(1)));
    const failed = await untilStatus(handle, phaseIs('Failed'), 'Failed');
    expect(failed.failureReason).toContain('check build (failure) failed: nothing deployed');
    expect(created(repository)).toEqual([]);
    await scriptOf(repository).waitFor(() => reports(repository).find((r) => r.phase === 'Failed'), 'the Failed report');
    expect(reports(repository).find((r) => r.phase === 'Failed')?.reason).toContain('build (failure)');
  });

  it('a push during the wait restarts it for the new head; the old head is never deployed', async () => {
    const repository = repo('push');
    const handle = await waitingAt(repository, sha(1));
    const script = scriptOf(repository);
    await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(2), before: sha(1) }));
    await script.waitFor(() => script.callsOf('readChecks').find((c) => (c.input as ReadChecksInput).headSha === sha(2)), 'a look at the new head');
    // The old head's checks pass now: too late, it is no longer the PR's head.
    script.checks[sha(1)] = completed('success');
    await handle.signal(checksChangedSignal, wake(sha(1)));
    expect((await untilStatus(handle, (s) => s.phase === 'WaitingForChecks' && s.desiredHeadSha === sha(2), 'waiting for the new head')).deployedHeadSha).toBeUndefined();
    expect(created(repository)).toEqual([]);

    script.checks[sha(2)] = completed('success', 2);
    await handle.signal(checksChangedSignal, wake(sha(2)));
    const ready = await untilStatus(handle, (s) => s.phase === 'Ready', 'Ready at the new head');
    expect(ready.deployedHeadSha).toBe(sha(2));
    expect(script.callsOf('ensureNamespace').map((c) => (c.input as { headSha: string }).headSha)).toEqual([sha(2)]);
  });

  it('checks that do not pass in time end the round Failed, naming those still missing', async () => {
    const repository = repo('timeout');
    const handle = await startPreview(client, w.taskQueue, { repository, headSha: sha(1), config: gated(repository, { timeout: '2s' }) });
    const failed = await untilStatus(handle, phaseIs('Failed'), 'Failed after the timeout');
    expect(failed.failureReason).toBe('CI checks not passed after 2s: still waiting for build; nothing deployed');
    expect(created(repository)).toEqual([]);
  });
});
