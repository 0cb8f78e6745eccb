import type { Client } from '@temporalio/client';
import { previewWorkflowId } from '../../src/lifecycle';
import { uniqueId } from '../harness';
import { phaseIs, prEvent, repoConfig, sha, startPreview, previewWorkerPerFile, untilStatus, type RunningWorker } from './support';
import { destroySignal, prEventSignal, type FetchBootstrapSqlInput, type ProvisionDatabaseInput, type RecordPreviewDurationInput } from '../../workflows/contract';

// The database steps and the duration samples in the lifecycle's order, on the real dev server
// with activity doubles: where provisioning and the drop happen, what a failure of either
// means for the preview, and that each duration is sampled once. The real activities against
// PostgreSQL and the API server are in test/integration/database/lifecycle-database.test.ts.

let client: Client;
let w: RunningWorker;

previewWorkerPerFile('database-steps', (running) => {
  ({ client, worker: w } = running);
});

const repo = (what: string) => `acme/${uniqueId(what)}`;
const scriptOf = (repository: string) => w.doubles.for(previewWorkflowId({ repository, number: 7 }));
const withDatabase = (repository: string, bootstrap?: { path: string; ifMissing?: 'fail' | 'skip' }) => repoConfig(repository, { database: { enabled: true, ...(bootstrap && { bootstrap }) } });
/** The lifecycle's own steps, in order (reports and duration samples run beside them). */
const steps = (repository: string) => scriptOf(repository).calls.filter((c) => c.activity !== 'reportPreview' && c.activity !== 'recordPreviewDuration').map((c) => c.activity);

describe('per-preview database steps', () => {
  it('provisions after the baseline and before the apps (bootstrap SQL read at the head), and drops after the namespace at teardown', async () => {
    const repository = repo('db-order');
    scriptOf(repository).bootstrapSql = 'CREATE TABLE orders (id int);';
    const handle = await startPreview(client, w.taskQueue, { repository, config: withDatabase(repository, { path: 'db/schema.sql' }) });
    const ready = await untilStatus(handle, phaseIs('Ready'), 'Ready');
    expect(ready.database).toEqual({ name: 'preview_pr_shop_7', secretName: 'preview-database', bootstrapSha256: 'a'.repeat(64) });
    expect(ready.recentEvents.map((e) => e.kind)).toContain('database');

    await handle.signal(prEventSignal, prEvent('closed'));
    const outcome = await handle.result();
    expect(outcome.phase).toBe('Destroyed');
    expect(outcome.status.database).toBeUndefined();
    expect(steps(repository)).toEqual([
      'ensureNamespace',
      'applyBaseline',
      'fetchBootstrapSql',
      'provisionDatabase',
      'deployApps',
      'checkReady',
      'deployApps',
      'checkReady',
      'computeCost',
      'teardownStep',
      'dropDatabase',
    ]);
    const script = scriptOf(repository);
    expect(script.callsOf('fetchBootstrapSql')[0]?.input).toEqual({ preview: { repository, repoKey: 'shop', prNumber: 7 }, headSha: sha(1), path: 'db/schema.sql', ifMissing: 'fail' } satisfies FetchBootstrapSqlInput);
    expect(script.callsOf('provisionDatabase')[0]?.input).toEqual({ namespace: 'pr-shop-7', workflowId: handle.workflowId, bootstrapSql: 'CREATE TABLE orders (id int);' } satisfies ProvisionDatabaseInput);
    expect(script.callsOf('dropDatabase')[0]?.input).toEqual({ namespace: 'pr-shop-7', workflowId: handle.workflowId });
  });

  it('a repository without a database, or with it switched off, never calls the database steps', async () => {
    for (const [what, config] of [
      ['none', undefined],
      ['off', { enabled: false }],
    ] as const) {
      const repository = repo(`db-${what}`);
      const handle = await startPreview(client, w.taskQueue, { repository, config: repoConfig(repository, config ? { database: config } : {}) });
      await untilStatus(handle, phaseIs('Ready'), 'Ready');
      await handle.signal(destroySignal, { reason: 'done' });
      expect((await handle.result()).phase).toBe('Destroyed');
      expect(steps(repository).filter((a) => /Database|Bootstrap/.test(a))).toEqual([]);
    }
  });

  it('a missing bootstrap file is no bootstrap when the config says skip', async () => {
    const repository = repo('db-skip');
    const handle = await startPreview(client, w.taskQueue, { repository, config: withDatabase(repository, { path: 'db/none.sql', ifMissing: 'skip' }) });
    const ready = await untilStatus(handle, phaseIs('Ready'), 'Ready');
    expect(ready.recentEvents.find((e) => e.kind === 'database-bootstrap')?.detail).toBe(`db/none.sql does not exist at ${sha(1).slice(0, 12)}: no bootstrap`);
    expect((scriptOf(repository).callsOf('provisionDatabase')[0]?.input as ProvisionDatabaseInput).bootstrapSql).toBeUndefined();
    await handle.signal(destroySignal, { reason: 'done' });
    await handle.result();
  });

  it('a failed provisioning is Failed with its reason and deploys nothing; the next event retries it and teardown still drops', async () => {
    const repository = repo('db-fail');
    const script = scriptOf(repository);
    script.fail('provisionDatabase', { type: 'ForeignDatabase', message: 'role preview_pr_shop_7 exists but belongs to namespace pr-other-7', times: 1 });
    const handle = await startPreview(client, w.taskQueue, { repository, config: withDatabase(repository) });
    const failed = await untilStatus(handle, phaseIs('Failed'), 'Failed');
    expect(failed.failureReason).toBe('provisionDatabase failed: role preview_pr_shop_7 exists but belongs to namespace pr-other-7');
    expect(failed.lastError).toMatchObject({ step: 'provisionDatabase', type: 'ForeignDatabase' });
    expect(script.callsOf('deployApps')).toEqual([]);

    await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(2) }));
    await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(2), 'Ready after the push');
    expect(script.callsOf('provisionDatabase').map((c) => c.outcome)).toEqual(['failed', 'completed']);
    await handle.signal(destroySignal, { reason: 'done' });
    expect((await handle.result()).phase).toBe('Destroyed');
    expect(script.callsOf('dropDatabase').map((c) => c.outcome)).toEqual(['completed']);
  });

  it('a stuck namespace teardown still drops the database, and the outcome names the failure', async () => {
    const repository = repo('db-stuck');
    const script = scriptOf(repository);
    // The namespace never finishes terminating: the workflow's stage deadline ends the teardown.
    script.tearDownThrough(['namespace'], { stuck: true, stuckAfterMs: 1_500 });
    const handle = await startPreview(client, w.taskQueue, { repository, config: withDatabase(repository) });
    await untilStatus(handle, phaseIs('Ready'), 'Ready');
    await handle.signal(destroySignal, { reason: 'done' });
    const outcome = await handle.result();
    expect(outcome.phase).toBe('Failed');
    expect(outcome.failureReason).toMatch(/^teardown failed: teardown stuck: namespace pr-shop-7 still present .+ after deletion$/);
    expect(outcome.status.lastError).toMatchObject({ step: 'teardownStep', type: 'TeardownStuck' });
    expect(script.callsOf('dropDatabase').map((c) => c.outcome)).toEqual(['completed']);
  });

  it('a database that cannot be dropped makes the teardown Failed with a clear error, not Destroyed', async () => {
    const repository = repo('db-drop-fail');
    const script = scriptOf(repository);
    script.fail('dropDatabase', { type: 'DatabaseRoleInUse', message: 'drop role preview_pr_shop_7: role still has privileges in database shared (SQLSTATE 2BP01)' });
    const handle = await startPreview(client, w.taskQueue, { repository, config: withDatabase(repository) });
    await untilStatus(handle, phaseIs('Ready'), 'Ready');
    await handle.signal(destroySignal, { reason: 'done' });
    const outcome = await handle.result();
    expect(outcome).toMatchObject({
      phase: 'Failed',
      failureReason: 'database drop failed: drop role preview_pr_shop_7: role still has privileges in database shared (SQLSTATE 2BP01)',
    });
    expect(outcome.status.lastError).toMatchObject({ step: 'dropDatabase', type: 'DatabaseRoleInUse' });
    expect(script.callsOf('recordPreviewDuration').map((c) => (c.input as RecordPreviewDurationInput).kind)).toEqual(['create']);
  });
});

describe('preview durations', () => {
  it('samples creation once, at the first Ready only, and deletion once, from the workflow clock', async () => {
    const repository = repo('durations');
    const script = scriptOf(repository);
    const handle = await startPreview(client, w.taskQueue, { repository });
    const ready = await untilStatus(handle, phaseIs('Ready'), 'Ready');
    await script.waitForCalls('recordPreviewDuration', 1);
    // A push reaches Ready again: not a creation.
    await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(2) }));
    await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(2), 'Ready after the push');
    await handle.signal(destroySignal, { reason: 'done' });
    const outcome = await handle.result();

    const samples = script.callsOf('recordPreviewDuration').map((c) => c.input as RecordPreviewDurationInput);
    expect(samples.map((s) => s.kind)).toEqual(['create', 'delete']);
    const [create, del] = samples as [RecordPreviewDurationInput, RecordPreviewDurationInput];
    expect(create.from).toBe(ready.createdAt);
    expect(Date.parse(create.to)).toBeGreaterThanOrEqual(Date.parse(create.from));
    expect(del.from).toBe(outcome.teardownRequestedAt);
    expect(Date.parse(del.to)).toBeGreaterThanOrEqual(Date.parse(del.from));
    expect(script.callsOf('recordPreviewDuration').map((c) => c.attempt)).toEqual([1, 1]);
  });

  it('a failing sample never holds up or fails the preview', async () => {
    const repository = repo('durations-fail');
    const script = scriptOf(repository);
    script.fail('recordPreviewDuration', { type: 'Unexpected', message: 'registry unavailable', nonRetryable: false });
    const handle = await startPreview(client, w.taskQueue, { repository });
    await untilStatus(handle, phaseIs('Ready'), 'Ready');
    await handle.signal(destroySignal, { reason: 'done' });
    expect((await handle.result()).phase).toBe('Destroyed');
    // One attempt each: a retry could observe a sample twice.
    expect(script.callsOf('recordPreviewDuration').map((c) => [c.attempt, c.outcome])).toEqual([
      [1, 'failed'],
      [1, 'failed'],
    ]);
  });
});
