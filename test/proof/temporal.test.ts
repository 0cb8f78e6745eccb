import { resolve } from 'node:path';
import { WorkflowNotFoundError, type Client, type Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { createTimeSkippingEnv, devServerClient, uniqueId } from '../harness';
import { PreviewPhase } from '../../workflows/contract';

const fixture = (name: string) => resolve(__dirname, '../fixtures/workflows', name);
const FOUR_HOURS_MS = 4 * 60 * 60 * 1000;

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('completes a workflow with a 4-hour timer by skipping time', async () => {
    const taskQueue = uniqueId('timer');
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: fixture('timer.ts') });
    const elapsedWorkflowMs = await worker.runUntil(
      env.client.workflow.execute('fourHourTimer', { taskQueue, workflowId: uniqueId('four-hours') }),
    );
    expect(env.supportsTimeSkipping).toBe(true);
    expect(elapsedWorkflowMs).toBeGreaterThanOrEqual(FOUR_HOURS_MS);
  });
});

describe('Temporal dev server', () => {
  let client: Client;
  let connection: Connection;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueId('proof');
  let originalBundle: WorkflowBundle;

  beforeAll(async () => {
    ({ client, connection } = await devServerClient());
    const { NativeConnection } = await import('@temporalio/worker');
    const native = await NativeConnection.connect({ address: connection.options.address });
    originalBundle = await bundleWorkflowCode({ workflowsPath: fixture('proof-workflows.ts'), logger: quietLogger });
    worker = await Worker.create({ connection: native, taskQueue, workflowBundle: originalBundle });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
  });

  it('finds a running workflow by a custom search attribute', async () => {
    const phase = uniqueId('Phase');
    const handle = await client.workflow.start('visibleWorkflow', { taskQueue, workflowId: uniqueId('visible'), args: [phase] });
    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of client.workflow.list({ query: `${PreviewPhase.name} = '${phase}'` })) ids.push(wf.workflowId);
      return ids.length > 0 ? ids : undefined;
    });
    expect(found).toEqual([handle.workflowId]);
    await handle.signal('finish');
    await handle.result();
    await expect(client.workflow.getHandle(uniqueId('absent')).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('replays a recorded history, and a changed workflow fails replay with a determinism error', async () => {
    const handle = await client.workflow.start('replayProbe', { taskQueue, workflowId: uniqueId('replay') });
    await handle.signal('proceed');
    expect(await handle.result()).toBe('v1');
    const history = await handle.fetchHistory();

    await expect(Worker.runReplayHistory({ workflowBundle: originalBundle }, history, handle.workflowId)).resolves.toBeUndefined();

    const changedBundle = await bundleWorkflowCode({ workflowsPath: fixture('replay-changed.ts'), logger: quietLogger });
    await expect(Worker.runReplayHistory({ workflowBundle: changedBundle }, history, handle.workflowId)).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });
});

const quietLogger = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };

/** Visibility is eventually consistent: poll briefly for a result. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}
