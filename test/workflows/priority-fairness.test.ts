import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { STEP_PRIORITY } from '../../workflows/step-activities';
import { devServerClient, harnessState, uniqueId } from '../harness';
import type { PrioritizedTask } from '../fixtures/workflows/task-priority';

// Priority and fairness are decided by the server's matcher (the dev server runs with
// matching.useNewMatcher and matching.enableFairness, src/dev/temporal-dev-server.ts). A worker
// with one activity slot and a backlog shows the order the server hands tasks out in.

let client: Client;
let connection: { close(): Promise<void> };
let native: NativeConnection;

beforeAll(async () => {
  ({ client, connection } = await devServerClient());
  native = await NativeConnection.connect({ address: harnessState().temporal.address });
});

afterAll(async () => {
  await native.close();
  await connection.close();
});

/** Runs one batch on a one-slot worker and returns the order its tasks ran in. */
async function runBatch(tasks: readonly PrioritizedTask[]): Promise<string[]> {
  const taskQueue = uniqueId('priority');
  const order: string[] = [];
  let release!: () => void;
  const gateOpen = new Promise<void>((r) => (release = r));
  let gateStarted!: () => void;
  const started = new Promise<void>((r) => (gateStarted = r));
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowsPath: resolve(__dirname, '../fixtures/workflows/task-priority.ts'),
    maxConcurrentActivityTaskExecutions: 1,
    activities: {
      gate: async () => {
        gateStarted();
        await gateOpen;
      },
      record: async (name: string) => {
        order.push(name);
        await new Promise((r) => setTimeout(r, 20));
      },
    },
  });
  await worker.runUntil(async () => {
    const handle = await client.workflow.start('prioritizedBatch', { taskQueue, workflowId: uniqueId('batch'), args: [tasks] });
    await started;
    // Wait until the whole batch is in the backlog (scheduled in history), then open the slot.
    for (;;) {
      const scheduled = (await handle.fetchHistory()).events?.filter((e) => e.activityTaskScheduledEventAttributes).length ?? 0;
      if (scheduled === tasks.length + 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    release();
    await handle.result();
  });
  return order;
}

describe('task-queue priority and fairness on the dev server', () => {
  it('runs a teardown scheduled after a backlog of deploys and reports first, and deploys before reports', async () => {
    const tasks: PrioritizedTask[] = [
      ...Array.from({ length: 4 }, (_, i) => ({ name: `report-${i}`, priorityKey: STEP_PRIORITY.report })),
      ...Array.from({ length: 4 }, (_, i) => ({ name: `deploy-${i}`, priorityKey: STEP_PRIORITY.deploy })),
      { name: 'teardown', priorityKey: STEP_PRIORITY.teardown },
    ];
    const order = await runBatch(tasks);
    expect(order[0]).toBe('teardown');
    expect(order.slice(1, 5).every((n) => n.startsWith('deploy-'))).toBe(true);
    expect(order.slice(5).every((n) => n.startsWith('report-'))).toBe(true);
  });

  it('shares the slot between repositories: one flooding repository does not starve another', async () => {
    const tasks: PrioritizedTask[] = [
      ...Array.from({ length: 16 }, (_, i) => ({ name: `flood-${i}`, priorityKey: STEP_PRIORITY.deploy, fairnessKey: 'flood' })),
      ...Array.from({ length: 3 }, (_, i) => ({ name: `quiet-${i}`, priorityKey: STEP_PRIORITY.deploy, fairnessKey: 'quiet' })),
    ];
    const order = await runBatch(tasks);
    const lastQuiet = Math.max(...order.map((n, i) => (n.startsWith('quiet-') ? i : -1)));
    // First in, first out would run the quiet repository's tasks last (positions 16-18); fair
    // dispatch alternates the two keys, so they are all done within the first eight.
    expect(lastQuiet).toBeLessThan(8);
  });
});
