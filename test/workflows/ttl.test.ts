import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { createTimeSkippingEnv, uniqueId } from '../harness';
import { bundlePreviewWorkflows, phaseIs, prEvent, quietTemporalLogs, registerSearchAttributes, sha, startPreview, startPreviewWorker, untilStatus, type PreviewHandle, type RunningWorker } from './support';
import { extendSignal, prEventSignal, statusQuery } from '../../workflows/contract';

// TTL behaviour on the time-skipping test server: hours and days pass in milliseconds. Each
// test checks both sides of the deadline (still alive just before, torn down exactly at it),
// so an expiry that comes early or late fails. Signals, not the update: the test server does
// not skip time while a caller waits on an update result.

const M = 60_000;
const H = 60 * M;
const D = 24 * H;

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundle;
let w: RunningWorker;

beforeAll(async () => {
  quietTemporalLogs();
  env = await createTimeSkippingEnv();
  await registerSearchAttributes(env);
  bundle = await bundlePreviewWorkflows();
  w = await startPreviewWorker({ connection: env.nativeConnection, taskQueue: uniqueId('ttl'), workflowBundle: bundle });
});

afterAll(async () => {
  await w?.stop();
  await env?.teardown();
});

async function readyPreview(labels: readonly string[] = ['preview']): Promise<{ handle: PreviewHandle; createdAt: number }> {
  const handle = await startPreview(env.client, w.taskQueue, { repository: `acme/${uniqueId('ttl')}`, labels });
  const status = await untilStatus(handle, phaseIs('Ready'), 'Ready');
  return { handle, createdAt: Date.parse(status.createdAt) };
}

/** Skips to `offset` after creation (measured on the test server's clock). */
async function skipTo(createdAt: number, offset: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (createdAt + offset > now) await env.sleep(createdAt + offset - now);
}

async function expectAlive(handle: PreviewHandle): Promise<void> {
  const status = await handle.query(statusQuery);
  expect(status.phase).toBe('Ready');
  expect(status.teardownReason).toBeUndefined();
}

async function expectExpiredAt(handle: PreviewHandle, createdAt: number, offset: number): Promise<void> {
  const outcome = await handle.result();
  expect(outcome.phase).toBe('Destroyed');
  expect(outcome.reason).toMatch(/^expired/);
  // Workflow time is the start of the task that saw the timer fire: a few real milliseconds late.
  const expiredAfter = Date.parse(outcome.teardownRequestedAt) - createdAt;
  expect(expiredAfter).toBeGreaterThanOrEqual(offset);
  expect(expiredAfter).toBeLessThan(offset + M);
  expect(w.doubles.for(handle.workflowId).callsOf('teardownStep')).toHaveLength(1);
}

describe('preview TTL (time-skipping)', () => {
  it('expires 4 h after creation by default', async () => {
    const { handle, createdAt } = await readyPreview();
    expect(Date.parse((await handle.query(statusQuery)).expiresAt) - createdAt).toBe(4 * H);
    await skipTo(createdAt, 4 * H - M);
    await expectAlive(handle);
    await expectExpiredAt(handle, createdAt, 4 * H);
  });

  it('extend at 3 h 59 m moves the expiry 4 h on', async () => {
    const { handle, createdAt } = await readyPreview();
    await skipTo(createdAt, 3 * H + 59 * M);
    await handle.signal(extendSignal, { by: '4h' });
    const status = await untilStatus(handle, (s) => s.recentEvents.some((e) => e.kind === 'extended'), 'the extension');
    expect(Date.parse(status.expiresAt) - createdAt).toBe(8 * H);

    await skipTo(createdAt, 8 * H - M);
    await expectAlive(handle);
    await expectExpiredAt(handle, createdAt, 8 * H);
  });

  it('a push resets the idle expiry', async () => {
    const { handle, createdAt } = await readyPreview();
    await skipTo(createdAt, 3 * H);
    const pushedAt = await env.currentTimeMs();
    await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(2) }));
    const status = await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(2), 'the redeploy');
    // The expiry counts from the push (workflow time when the signal was handled).
    const offset = Date.parse(status.expiresAt) - createdAt;
    expect(offset).toBeGreaterThanOrEqual(pushedAt - createdAt + 4 * H);
    expect(offset).toBeLessThan(pushedAt - createdAt + 4 * H + M);

    await skipTo(createdAt, 4 * H + 30 * M);
    await expectAlive(handle);
    await expectExpiredAt(handle, createdAt, offset);
  });

  it('the do-not-expire label gives 24 h', async () => {
    const { handle, createdAt } = await readyPreview(['preview', 'preview/do-not-expire']);
    const status = await handle.query(statusQuery);
    expect(status).toMatchObject({ extendedTtl: true, idleTtl: '1d' });
    expect(Date.parse(status.expiresAt) - createdAt).toBe(24 * H);

    await skipTo(createdAt, 24 * H - M);
    await expectAlive(handle);
    await expectExpiredAt(handle, createdAt, 24 * H);
  });

  it('holds the 7 d hard cap against extensions, labels and pushes', async () => {
    const { handle, createdAt } = await readyPreview(['preview', 'preview/do-not-expire']);
    await handle.signal(extendSignal, { by: '30d' });
    const capped = await untilStatus(handle, (s) => s.recentEvents.some((e) => e.kind === 'extended'), 'the capped extension');
    expect(Date.parse(capped.expiresAt) - createdAt).toBe(7 * D);
    expect(capped.recentEvents.at(-1)?.detail).toMatch(/stopped at the hard cap/);

    // A push every 23 h keeps the 24 h idle TTL ahead of the clock (the last one, at 161 h,
    // asks for 185 h); the cap still wins.
    for (let day = 1; day <= 7; day++) {
      await skipTo(createdAt, day * 23 * H);
      await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(100 + day) }));
      // Let the redeploy finish before skipping on: skipped hours would time its activities out.
      await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(100 + day), `the day-${day} redeploy`);
    }
    await skipTo(createdAt, 7 * D - M);
    await handle.signal(extendSignal, { by: '1h' });
    const status = await untilStatus(handle, (s) => s.recentEvents.at(-1)?.kind === 'extend-rejected', 'the refused extension');
    expect(status.recentEvents.at(-1)?.detail).toMatch(/hard cap/);
    expect(Date.parse(status.expiresAt) - createdAt).toBe(7 * D);
    await expectAlive(handle);
    await expectExpiredAt(handle, createdAt, 7 * D);
  });
});
