import { resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Section } from './figures';

/** A workflow that sleeps 4 h, on the time-skipping test server: what a TTL test costs in wall time. */
export async function measureTimeSkipping(testServer: string): Promise<Section> {
  const executable = testServer === 'sdk-download' ? { type: 'cached-download' as const } : { type: 'existing-path' as const, path: testServer };
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
  try {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'bench-timer',
      workflowsPath: resolve(__dirname, '../fixtures/workflows/timer.ts'),
    });
    const t = performance.now();
    const workflowMs = await worker.runUntil(env.client.workflow.execute('fourHourTimer', { taskQueue: 'bench-timer', workflowId: 'bench-timer' }));
    const wall = performance.now() - t;
    return {
      id: 'time-skipping',
      title: '4 h timer under time skipping',
      method: ['one workflow sleeping 4 h on the time-skipping test server (test/fixtures/workflows/timer.ts), worker already bundled; wall time of execute()'],
      figures: [
        { name: '4 h timer, wall time', value: wall, unit: 'ms', ratio: { value: workflowMs / wall, to: 'speed-up: workflow time / wall time' } },
      ],
    };
  } finally {
    await env.teardown();
  }
}
