import { WorkflowFailedError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { previewWorkflowId } from '../../src/lifecycle';
import { uniqueId } from '../harness';
import { eventually, phaseIs, prEvent, repoConfig, sha, startPreview, previewWorkerPerFile, untilStatus, type RunningWorker } from './support';
import { type DeployAppsInput, type PreviewReport, type CheckReadyInput, clusterChangedSignal, destroySignal, extendTtlUpdate, prEventSignal, PreviewExpiresAt, PreviewHeadSha, PreviewPhase, PreviewPullRequest, PreviewRepository, redeploySignal, statusQuery, type PreviewMemo } from '../../workflows/contract';

// The lifecycle on the real dev server, with activity doubles run by a real worker. Each test
// owns one preview (a unique repository name), so tests share the worker without interfering.

const H = 3_600_000;

let client: Client;
let w: RunningWorker;

previewWorkerPerFile('lifecycle', (running) => {
  ({ client, worker: w } = running);
});

const repo = (what: string) => `acme/${uniqueId(what)}`;
/** The script of a preview's doubles, set up before the preview starts. */
const scriptOf = (repository: string, number = 7) => w.doubles.for(previewWorkflowId({ repository, number }));
const deployShas = (calls: { input: unknown }[]) => calls.map((c) => `${(c.input as DeployAppsInput).headSha}@${(c.input as DeployAppsInput).phase}`);
/** The expiry search attribute holds whole seconds. */
const expiringAt = (iso: string) => {
  const second = Math.floor(Date.parse(iso) / 1000) * 1000;
  const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return `${PreviewExpiresAt.name} >= '${at(second)}' AND ${PreviewExpiresAt.name} < '${at(second + 1000)}'`;
};
const reports = (repository: string) => scriptOf(repository).callsOf('reportPreview').map((c) => c.input as PreviewReport);

describe('preview lifecycle on the dev server', () => {
  it('deploys phase by phase, reports, and answers the status query with everything a person needs', async () => {
    const repository = repo('status');
    const handle = await startPreview(client, w.taskQueue, { repository });
    const status = await untilStatus(handle, phaseIs('Ready'), 'Ready');

    const script = scriptOf(repository);
    // Reports run beside the lifecycle, and the duration sample right after Ready: neither is part of the step order.
    const steps = script.calls.filter((c) => c.activity !== 'reportPreview' && c.activity !== 'recordPreviewDuration').map((c) => c.activity);
    expect(steps).toEqual([
      'ensureNamespace',
      'applyBaseline',
      'deployApps',
      'checkReady',
      'deployApps',
      'checkReady',
      'computeCost',
    ]);
    expect(deployShas(script.callsOf('deployApps'))).toEqual([`${sha(1)}@610`, `${sha(1)}@650`]);
    expect(script.callsOf('checkReady').map((c) => (c.input as CheckReadyInput).services)).toEqual([['db'], ['web']]);

    expect(status).toMatchObject({
      workflowId: handle.workflowId,
      repository,
      prNumber: 7,
      phase: 'Ready',
      desiredHeadSha: sha(1),
      deployedHeadSha: sha(1),
      namespace: 'pr-shop-7',
      urls: [{ service: 'web', url: 'https://web-pr-7.preview.example.test' }],
      idleTtl: '4h',
      extendedTtl: false,
      cost: { perHour: 0.0625, currency: 'USD' },
      eventsHandled: 1,
      run: 1,
    });
    expect(status.services).toEqual([
      { name: 'db', rolloutPhase: 610, state: 'Ready', headSha: sha(1), application: 'pr-shop-7-db' },
      { name: 'web', rolloutPhase: 650, state: 'Ready', headSha: sha(1), application: 'pr-shop-7-web', url: 'https://web-pr-7.preview.example.test' },
    ]);
    expect(Date.parse(status.expiresAt) - Date.parse(status.createdAt)).toBe(4 * H);
    expect(Date.parse(status.hardCapAt) - Date.parse(status.createdAt)).toBe(168 * H);
    expect(status.cost?.projectedToExpiry).toBeCloseTo(0.25, 2);
    expect(status.lastError).toBeUndefined();
    expect(status.recentEvents.map((e) => e.kind)).toEqual(['pr-opened', 'deploy', 'phase', 'provisioned', 'phase', 'phase']);

    // GitHub saw a pending report first and ends up with the Ready one, URL and cost included.
    const sent = reports(repository);
    expect(sent[0]).toMatchObject({ phase: 'Pending', headSha: sha(1), final: false });
    await script.waitFor(() => (reports(repository).at(-1)?.phase === 'Ready' ? true : undefined), 'the Ready report');
    expect(reports(repository).at(-1)).toMatchObject({
      phase: 'Ready',
      urls: [{ service: 'web', url: 'https://web-pr-7.preview.example.test' }],
      cost: { perHour: 0.0625, currency: 'USD' },
      expiresAt: status.expiresAt,
      final: false,
    });

    await handle.signal(destroySignal, { reason: 'done' });
    expect((await handle.result()).phase).toBe('Destroyed');
  });

  it('extendTtl returns the new expiry; its validator rejects bad durations and the hard cap, with the reason', async () => {
    const repository = repo('update');
    const handle = await startPreview(client, w.taskQueue, { repository });
    const before = await untilStatus(handle, phaseIs('Ready'), 'Ready');

    const result = await handle.executeUpdate(extendTtlUpdate, { args: [{ by: '4h' }] });
    expect(result).toEqual({ previousExpiresAt: before.expiresAt, expiresAt: new Date(Date.parse(before.expiresAt) + 4 * H).toISOString(), hardCapAt: before.hardCapAt });
    expect((await handle.query(statusQuery)).expiresAt).toBe(result.expiresAt);

    const rejection = async (by: string) => {
      const err = await handle.executeUpdate(extendTtlUpdate, { args: [{ by }] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      return ((err as WorkflowUpdateFailedError).cause as Error).message;
    };
    expect(await rejection('0h')).toMatch(/must be positive/);
    expect(await rejection('-1h')).toMatch(/must be positive/);
    expect(await rejection('a while')).toMatch(/cannot read duration "a while"/);
    expect(await rejection('7d')).toBe(
      `cannot extend by 7d: the preview would pass its hard cap of 7d from creation (${before.hardCapAt}); at most 6d16h can be added`,
    );

    // Rejections change nothing and leave no trace in history; the accepted one is there once.
    expect((await handle.query(statusQuery)).expiresAt).toBe(result.expiresAt);
    const history = await handle.fetchHistory();
    const accepted = history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
    expect(accepted).toHaveLength(1);

    // The same delivery id again is idempotent: no second extension.
    const once = await handle.executeUpdate(extendTtlUpdate, { args: [{ by: '1h', deliveryId: 'comment-1' }] });
    const again = await handle.executeUpdate(extendTtlUpdate, { args: [{ by: '1h', deliveryId: 'comment-1' }] });
    expect(Date.parse(once.expiresAt) - Date.parse(result.expiresAt)).toBe(H);
    expect(again.expiresAt).toBe(once.expiresAt);

    await handle.signal(destroySignal, { reason: 'done' });
    await handle.result();
  });

  it('coalesces five pushes during one deploy into exactly one more deploy, of the last SHA', async () => {
    const repository = repo('coalesce');
    const script = scriptOf(repository);
    const gate = script.block('deployApps', 1);
    const handle = await startPreview(client, w.taskQueue, { repository });
    await script.waitForCalls('deployApps', 1);

    for (let n = 2; n <= 6; n++) await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(n) }));
    expect((await handle.query(statusQuery)).desiredHeadSha).toBe(sha(6));
    gate.open();

    const status = await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(6), 'Ready at the last SHA');
    // The first round stopped at its next step boundary: no readiness wait for a superseded SHA.
    expect(deployShas(script.callsOf('deployApps'))).toEqual([`${sha(1)}@610`, `${sha(6)}@610`, `${sha(6)}@650`]);
    expect(script.callsOf('checkReady').map((c) => (c.input as CheckReadyInput).headSha)).toEqual([sha(6), sha(6)]);
    expect(status.services.every((s) => s.headSha === sha(6))).toBe(true);
    expect(status.eventsHandled).toBe(6);

    await handle.signal(destroySignal, { reason: 'done' });
    await handle.result();
  });

  it('destroy during a deploy cancels that step and tears down', async () => {
    const repository = repo('destroy');
    const script = scriptOf(repository);
    script.block('deployApps');
    const handle = await startPreview(client, w.taskQueue, { repository });
    await script.waitForCalls('deployApps', 1);

    await handle.signal(destroySignal, { reason: 'no longer needed' });
    const outcome = await handle.result();

    expect(outcome).toMatchObject({ phase: 'Destroyed', reason: 'destroyed: no longer needed' });
    const deploy = script.callsOf('deployApps')[0]!;
    expect(deploy.outcome).toBe('cancelled');
    const teardown = script.callsOf('teardownStep');
    expect(teardown).toHaveLength(1);
    // Teardown starts only after the cancelled step has stopped: no Application can appear behind it.
    expect(teardown[0]!.startedAt).toBeGreaterThanOrEqual(deploy.endedAt!);
    expect(script.callsOf('checkReady')).toHaveLength(0);
    expect(reports(repository).at(-1)).toMatchObject({ phase: 'Destroyed', final: true });
  });

  it('ignores a repeated delivery', async () => {
    const repository = repo('dedupe');
    const script = scriptOf(repository);
    const handle = await startPreview(client, w.taskQueue, { repository });
    await untilStatus(handle, phaseIs('Ready'), 'Ready');

    const push = prEvent('synchronize', { headSha: sha(2) });
    await handle.signal(prEventSignal, push);
    await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(2), 'Ready at the pushed SHA');
    const deploysBefore = script.callsOf('deployApps').length;

    // A redelivery carries the same id; even with different content it must change nothing.
    await handle.signal(prEventSignal, push);
    await handle.signal(prEventSignal, { ...push, headSha: sha(3) });
    await handle.signal(prEventSignal, { ...push, action: 'closed' });
    const status = await untilStatus(handle, (s) => s.recentEvents.filter((e) => e.kind === 'duplicate').length === 3, 'three duplicates recorded');

    expect(status).toMatchObject({ phase: 'Ready', desiredHeadSha: sha(2), eventsHandled: 2 });
    expect(status.teardownReason).toBeUndefined();
    expect(script.callsOf('deployApps')).toHaveLength(deploysBefore);

    await handle.signal(prEventSignal, prEvent('closed', { headSha: sha(2) }));
    expect(await handle.result()).toMatchObject({ phase: 'Destroyed', reason: 'pull request closed' });
  });

  it('a permanent activity failure is Failed with its reason, never a teardown; teardown still runs on the next explicit event', async () => {
    const repository = repo('failure');
    const script = scriptOf(repository);
    script.fail('deployApps', { type: 'KubernetesForbidden', message: 'applications.argoproj.io is forbidden: User "previewd" cannot create' });
    const handle = await startPreview(client, w.taskQueue, { repository });

    const failed = await untilStatus(handle, phaseIs('Failed'), 'Failed');
    expect(failed.failureReason).toBe('deployApps failed: applications.argoproj.io is forbidden: User "previewd" cannot create');
    expect(failed.lastError).toMatchObject({ step: 'deployApps', type: 'KubernetesForbidden' });
    // Non-retryable: exactly one attempt, and the preview is left alone.
    expect(script.callsOf('deployApps')).toHaveLength(1);
    expect(script.callsOf('teardownStep')).toHaveLength(0);
    await script.waitFor(() => (reports(repository).at(-1)?.phase === 'Failed' ? true : undefined), 'the Failed report');

    await handle.signal(prEventSignal, prEvent('closed'));
    const outcome = await handle.result();
    expect(outcome).toMatchObject({ phase: 'Destroyed', reason: 'pull request closed' });
    expect(script.callsOf('teardownStep')).toHaveLength(1);
  });

  it('a teardown that fails permanently ends as Failed with a clear error, reported as final', async () => {
    const repository = repo('stuck');
    const script = scriptOf(repository);
    script.fail('teardownStep', { type: 'TeardownStuck', message: 'Application pr-shop-7-web still present 600000 ms after deletion' });
    const handle = await startPreview(client, w.taskQueue, { repository });
    await untilStatus(handle, phaseIs('Ready'), 'Ready');

    await handle.signal(destroySignal, { reason: 'cleanup' });
    const outcome = await handle.result();
    expect(outcome).toMatchObject({
      phase: 'Failed',
      reason: 'destroyed: cleanup',
      failureReason: 'teardown failed: Application pr-shop-7-web still present 600000 ms after deletion',
    });
    expect(outcome.status.lastError).toMatchObject({ step: 'teardownStep', type: 'TeardownStuck' });
    expect(reports(repository).at(-1)).toMatchObject({ phase: 'Failed', final: true });
  });

  it('teardown steps through pruning and namespace deletion on durable timers, holding no activity while it waits', async () => {
    const repository = repo('teardown-steps');
    const script = scriptOf(repository).tearDownThrough(['applications', 'applications', 'namespace']);
    const handle = await startPreview(client, w.taskQueue, { repository });
    await untilStatus(handle, phaseIs('Ready'), 'Ready');

    await handle.signal(destroySignal, { reason: 'done' });
    const outcome = await handle.result();
    expect(outcome).toMatchObject({ phase: 'Destroyed' });
    const steps = script.callsOf('teardownStep');
    expect(steps).toHaveLength(4);
    // Each step returned at once; the waits between them were timers, not activities.
    for (const step of steps) expect(step.endedAt! - step.startedAt).toBeLessThan(1_000);
    expect(steps[1]!.startedAt - steps[0]!.endedAt!).toBeGreaterThanOrEqual(150);
    expect(script.callsOf('teardown')).toHaveLength(0);
    expect(outcome.status.recentEvents.at(-2)).toMatchObject({ kind: 'torn-down', detail: expect.stringMatching(/^namespace pr-.+-7 deleted$/) });
  });

  it('a teardown stage past its deadline (in workflow time) ends as Failed with TeardownStuck and keeps the namespace', async () => {
    const repository = repo('stuck-stage');
    const script = scriptOf(repository).tearDownThrough(['applications'], { stuck: true, stuckAfterMs: 2_000 });
    const handle = await startPreview(client, w.taskQueue, { repository });
    await untilStatus(handle, phaseIs('Ready'), 'Ready');

    await handle.signal(destroySignal, { reason: 'cleanup' });
    const outcome = await handle.result();
    expect(outcome.phase).toBe('Failed');
    expect(outcome.failureReason).toMatch(/^teardown failed: teardown stuck: Application\(s\) pr-.+-7-web still present 2s after deletion/);
    expect(outcome.status.lastError).toMatchObject({ step: 'teardownStep', type: 'TeardownStuck' });
    // Only the Applications stage was ever reported: the namespace was never deleted.
    expect(script.callsOf('teardownStep').length).toBeGreaterThanOrEqual(2);
    expect(reports(repository).at(-1)).toMatchObject({ phase: 'Failed', final: true });
  });

  it('a clusterChanged signal ends a readiness wait early; duplicates and a signal after the run are harmless', async () => {
    const repository = repo('woken');
    const script = scriptOf(repository).readiness('never');
    // Rechecks a minute apart: only the signal can make this preview Ready within the test.
    script.recheck = { afterMs: 60_000, maxAfterMs: 60_000 };
    const handle = await startPreview(client, w.taskQueue, { repository });
    await script.waitForCalls('checkReady', 1);
    await untilStatus(handle, (s) => s.services.find((svc) => svc.name === 'db')?.state === 'Progressing', 'db Progressing');

    script.readiness('ready');
    const woken = Date.now();
    await Promise.all(Array.from({ length: 3 }, () => handle.signal(clusterChangedSignal, { kind: 'Application', name: 'argocd/pr-woken-7-db' })));
    await untilStatus(handle, phaseIs('Ready'), 'Ready after the wake-up');
    expect(Date.now() - woken).toBeLessThan(30_000);
    // Three signals, at most three extra looks: phase 610 (woken) and 650 (ready at once), plus duplicates.
    expect(script.callsOf('checkReady').length).toBeLessThanOrEqual(6);
    script.recheck = { afterMs: 200, maxAfterMs: 1_000 };

    await handle.signal(destroySignal, { reason: 'done' });
    await handle.result();
    await expect(handle.signal(clusterChangedSignal, { kind: 'Namespace', name: 'pr-woken-7' })).rejects.toThrow(/not found|completed/i);
  });

  it('an outage (transient failures) only delays the preview', async () => {
    const repository = repo('outage');
    const script = scriptOf(repository);
    script.fail('ensureNamespace', { type: 'KubernetesUnavailable', message: 'connect ECONNREFUSED', nonRetryable: false, times: 2 });
    script.fail('reportPreview', { type: 'GitHubUnavailable', message: 'GitHub 502', nonRetryable: false, times: 1 });
    const handle = await startPreview(client, w.taskQueue, { repository });

    const status = await untilStatus(handle, phaseIs('Ready'), 'Ready after retries');
    expect(script.callsOf('ensureNamespace').map((c) => [c.attempt, c.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'completed'],
    ]);
    expect(script.callsOf('teardownStep')).toHaveLength(0);
    expect(status.failureReason).toBeUndefined();

    await handle.signal(destroySignal, { reason: 'done' });
    await handle.result();
  });

  it('a reporting failure never blocks the deploy or the teardown', async () => {
    const repository = repo('github-down');
    const script = scriptOf(repository);
    script.fail('reportPreview', { type: 'GitHubPermission', message: 'Resource not accessible by integration (needs deployments: write)' });
    const handle = await startPreview(client, w.taskQueue, { repository });

    const status = await untilStatus(handle, (s) => s.phase === 'Ready' && s.lastError !== undefined, 'Ready with the reporting error');
    expect(status.lastError).toMatchObject({ step: 'reportPreview', type: 'GitHubPermission', message: 'Resource not accessible by integration (needs deployments: write)' });

    await handle.signal(destroySignal, { reason: 'done' });
    expect((await handle.result()).phase).toBe('Destroyed');
    expect(script.callsOf('teardownStep')).toHaveLength(1);
  });

  it('a readiness deadline makes the preview Degraded, reported, and it keeps waiting; a push recovers it', async () => {
    const repository = repo('degraded');
    const script = scriptOf(repository).readiness('never');
    const handle = await startPreview(client, w.taskQueue, { repository, options: { readinessTimeout: '2s', readinessSlice: '1s' } });

    const degraded = await untilStatus(handle, phaseIs('Degraded'), 'Degraded');
    expect(degraded.failureReason).toMatch(/^rollout phase 610 not ready after 2s: db=Progressing \(Deployment has 0\/1 ready replicas\)$/);
    expect(degraded.services.find((s) => s.name === 'db')).toMatchObject({ state: 'Progressing', message: 'Deployment has 0/1 ready replicas' });
    // Phase 650 is never applied on a database that is not ready.
    expect(deployShas(script.callsOf('deployApps'))).toEqual([`${sha(1)}@610`]);
    await script.waitFor(() => (reports(repository).at(-1)?.phase === 'Degraded' ? true : undefined), 'the Degraded report');
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(script.callsOf('teardownStep')).toHaveLength(0);

    script.readiness('ready');
    await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(2) }));
    const ready = await untilStatus(handle, phaseIs('Ready'), 'Ready after the push');
    expect(ready.deployedHeadSha).toBe(sha(2));
    expect(ready.failureReason).toBeUndefined();

    await handle.signal(destroySignal, { reason: 'done' });
    await handle.result();
  });

  it('a failed sync of the desired source is Degraded at once; redeploy retries the same head', async () => {
    const repository = repo('sync-failed');
    const script = scriptOf(repository).readiness('sync-failed');
    const handle = await startPreview(client, w.taskQueue, { repository });

    const degraded = await untilStatus(handle, phaseIs('Degraded'), 'Degraded');
    expect(degraded.failureReason).toMatch(/^rollout phase 610 failed to sync: db=Degraded/);
    expect(script.callsOf('checkReady')).toHaveLength(1);

    script.readiness('ready');
    await handle.signal(redeploySignal, { reason: 'fixed the chart' });
    await untilStatus(handle, phaseIs('Ready'), 'Ready after redeploy');
    expect(deployShas(script.callsOf('deployApps'))).toEqual([`${sha(1)}@610`, `${sha(1)}@610`, `${sha(1)}@650`]);

    await handle.signal(destroySignal, { reason: 'done' });
    await handle.result();
  });

  it('a redeploy asks Argo CD for a sync (real Argo CD never retries a failed commit by itself); a push does not need to', async () => {
    const repository = repo('sync-requested');
    // As real Argo CD behaves: the failed sync stays failed until deployApps asks for a sync.
    const script = scriptOf(repository).readiness('sync-failed-until-requested');
    const handle = await startPreview(client, w.taskQueue, { repository });
    await untilStatus(handle, phaseIs('Degraded'), 'Degraded');

    await handle.signal(redeploySignal, { reason: '/preview redeploy' });
    await untilStatus(handle, phaseIs('Ready'), 'Ready after redeploy');
    const requested = () => script.callsOf('deployApps').map((c) => (c.input as { requestSync?: boolean }).requestSync ?? false);
    expect(requested()).toEqual([false, true, true]);

    await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(2) }));
    await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(2), 'Ready at the pushed head');
    expect(requested().slice(3)).toEqual([false, false]);
    await handle.signal(destroySignal, { reason: 'done' });
    await handle.result();
  });

  it('the TTL label changes the expiry, another label does not tear down, removing the trigger label does', async () => {
    const repository = repo('labels');
    const handle = await startPreview(client, w.taskQueue, { repository });
    const ready = await untilStatus(handle, phaseIs('Ready'), 'Ready');

    await handle.signal(prEventSignal, prEvent('labeled', { labels: ['preview', 'preview/do-not-expire'] }));
    const extended = await untilStatus(handle, (s) => s.extendedTtl, 'the extended TTL');
    expect(Date.parse(extended.expiresAt) - Date.parse(ready.createdAt)).toBe(24 * H);
    expect(extended.idleTtl).toBe('1d');

    await handle.signal(prEventSignal, prEvent('unlabeled', { labels: ['preview'] }));
    const back = await untilStatus(handle, (s) => !s.extendedTtl, 'the default TTL again');
    expect(Date.parse(back.expiresAt) - Date.parse(ready.createdAt)).toBe(4 * H);
    expect(back.phase).toBe('Ready');

    await handle.signal(prEventSignal, prEvent('unlabeled', { labels: [] }));
    expect(await handle.result()).toMatchObject({ phase: 'Destroyed', reason: 'trigger label "preview" removed' });
  });

  it('cancelling the workflow still tears the preview down', async () => {
    const repository = repo('cancel');
    const script = scriptOf(repository);
    script.block('checkReady');
    const handle = await startPreview(client, w.taskQueue, { repository });
    await script.waitForCalls('checkReady', 1);

    await handle.cancel();
    const outcome = await handle.result();
    expect(outcome).toMatchObject({ phase: 'Destroyed', reason: 'workflow cancelled' });
    expect(script.callsOf('checkReady')[0]!.outcome).toBe('cancelled');
    expect(script.callsOf('teardownStep')).toHaveLength(1);
  });

  it('is findable by its search attributes, which follow every change, and shows URL and namespace in the memo', async () => {
    const repository = repo('visible');
    const handle = await startPreview(client, w.taskQueue, { repository, number: 4242 });
    const ready = await untilStatus(handle, phaseIs('Ready'), 'Ready');

    const find = (query: string) =>
      eventually(async () => {
        const ids: string[] = [];
        for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
        return ids.length > 0 ? ids : undefined;
      }, query);
    const byPr = `${PreviewRepository.name} = '${repository}' AND ${PreviewPullRequest.name} = 4242`;
    expect(await find(`${byPr} AND ${PreviewPhase.name} = 'Ready' AND ${PreviewHeadSha.name} = '${sha(1)}'`)).toEqual([handle.workflowId]);
    expect(await find(`${byPr} AND ${expiringAt(ready.expiresAt)}`)).toEqual([handle.workflowId]);

    const description = await handle.describe();
    expect(description.memo as PreviewMemo).toEqual({ url: 'https://web-pr-4242.preview.example.test', namespace: 'pr-shop-4242' });
    expect(description.typedSearchAttributes.get(PreviewRepository)).toBe(repository);

    await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(9) }));
    const pushed = await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(9), 'Ready at the new SHA');
    expect(await find(`${byPr} AND ${PreviewHeadSha.name} = '${sha(9)}' AND ${PreviewPhase.name} = 'Ready'`)).toEqual([handle.workflowId]);
    expect(await find(`${byPr} AND ${expiringAt(pushed.expiresAt)}`)).toEqual([handle.workflowId]);

    await handle.signal(destroySignal, { reason: 'done' });
    await handle.result();
    expect(await find(`${byPr} AND ${PreviewPhase.name} = 'Destroyed'`)).toEqual([handle.workflowId]);
  });

  it('fails at once, naming the field, when its input is unusable (instead of retrying a task forever)', async () => {
    const repository = repo('bad-input');
    // The config schema refuses this too; the workflow must not depend on every caller using it.
    const valid = repoConfig(repository);
    const handle = await startPreview(client, w.taskQueue, { repository, config: { ...valid, ttl: { ...valid.ttl, default: '4 hours' } } });
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(((err as WorkflowFailedError).cause as Error).message).toMatch(/^invalid preview input: ttl\.default: cannot read duration "4 hours"/);
    expect(scriptOf(repository).calls).toHaveLength(0);
  });

  it('deploys the chosen services with their dependencies, and everything when the chooser fails', async () => {
    const affected = (repository: string) =>
      repoConfig(repository, {
        scope: 'affected',
        services: [
          { name: 'db', phase: 610, source: { repoURL: 'https://git.example.test/gitops.git', path: 'apps/db', image: 'registry.example.test/db' } },
          { name: 'web', phase: 650, dependsOn: ['db'], expose: { port: 8080 }, source: { repoURL: 'https://git.example.test/gitops.git', path: 'apps/web', image: 'registry.example.test/web' } },
          { name: 'docs', phase: 650, source: { repoURL: 'https://git.example.test/gitops.git', path: 'apps/docs', image: 'registry.example.test/docs' } },
        ],
      });
    const deployedServices = (repository: string) =>
      scriptOf(repository)
        .callsOf('deployApps')
        .flatMap((c) => (c.input as DeployAppsInput).services.map((svc) => svc.name));

    const chosen = repo('chosen');
    scriptOf(chosen).choose(['web']);
    const h1 = await startPreview(client, w.taskQueue, { repository: chosen, config: affected(chosen) });
    const s1 = await untilStatus(h1, phaseIs('Ready'), 'Ready');
    expect(deployedServices(chosen)).toEqual(['db', 'web']);
    expect(s1.services.map((svc) => svc.name)).toEqual(['db', 'web']);

    const fallback = repo('chooser-down');
    scriptOf(fallback).fail('chooseServices', { type: 'GitHubPermission', message: 'cannot list PR files' });
    const h2 = await startPreview(client, w.taskQueue, { repository: fallback, config: affected(fallback) });
    const s2 = await untilStatus(h2, phaseIs('Ready'), 'Ready');
    expect(deployedServices(fallback)).toEqual(['db', 'web', 'docs']);
    expect(s2.lastError).toMatchObject({ step: 'chooseServices', message: 'cannot list PR files' });
    expect(s2.recentEvents.map((e) => e.kind)).toContain('choose-fallback');

    await Promise.all([h1, h2].map((h) => h.signal(destroySignal, { reason: 'done' })));
    await Promise.all([h1.result(), h2.result()]);
  });
});
