import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/dev/temporal-dev-server';
import { devServerClient, harnessState, uniqueId } from '../harness';
import { bundlePreviewWorkflows, phaseIs, prEvent, quietTemporalLogs, sha, startPreview, startPreviewWorker, untilStatus, type PreviewHandle, type RunningWorker } from './support';
import { prEventSignal } from '../../workflows/contract';
import { guardedInterceptors } from '../../src/temporal-client';

// Continue-as-new keeps a long-lived preview's history small. These tests send bursts of
// signals across the hand-over and check that every one of them took effect exactly once.

const SUGGEST_AFTER_EVENTS = 60;

let bundle: WorkflowBundle;

beforeAll(async () => {
  quietTemporalLogs();
  bundle = await bundlePreviewWorkflows();
});

async function runsOf(client: Client, workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(wf.runId);
  return runs;
}

/** Sends `count` label events at once (so some land while a hand-over is in flight). */
async function burst(handle: PreviewHandle, count: number): Promise<string[]> {
  const events = Array.from({ length: count }, (_, i) => prEvent('labeled', { labels: i % 2 === 0 ? ['preview', `burst-${i}`] : ['preview'] }));
  await Promise.all(events.map((e) => handle.signal(prEventSignal, e)));
  return events.map((e) => e.deliveryId);
}

async function expectFirstRunContinuedAsNew(handle: PreviewHandle, firstRunId: string, client: Client): Promise<void> {
  const first = client.workflow.getHandle(handle.workflowId, firstRunId);
  const history = await first.fetchHistory();
  expect(history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  expect((await first.describe()).status.name).toBe('CONTINUED_AS_NEW');
}

describe('continue-as-new when the server suggests it', () => {
  let server: TemporalDevServer;
  let connection: Connection;
  let native: NativeConnection;
  let client: Client;
  let w: RunningWorker;

  beforeAll(async () => {
    const { temporalCli, workDir } = harnessState();
    server = await startTemporalDevServer({
      cliPath: temporalCli,
      logDir: join(workDir, 'logs', uniqueId('suggest-can')),
      ui: false,
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_AFTER_EVENTS },
    });
    connection = await Connection.connect({ address: server.address, interceptors: guardedInterceptors() });
    native = await NativeConnection.connect({ address: server.address });
    client = new Client({ connection, namespace: server.namespace });
    w = await startPreviewWorker({ connection: native, namespace: server.namespace, taskQueue: uniqueId('suggest-can'), workflowBundle: bundle });
  });

  afterAll(async () => {
    await w?.stop();
    await native?.close();
    await connection?.close();
    await server?.process.stop();
  });

  it('hands over to a new run without losing a signal, a delivery id or the expiry', async () => {
    const handle = await startPreview(client, w.taskQueue, { repository: `acme/${uniqueId('can')}` });
    const firstRunId = (await handle.describe()).runId;
    const ready = await untilStatus(handle, phaseIs('Ready'), 'Ready');

    const ids = await burst(handle, 40);
    const afterBurst = await untilStatus(handle, (s) => s.eventsHandled === 41 && s.run > 1, 'all 41 events handled, in a later run', 60_000);
    expect(afterBurst.labels).toEqual(expect.arrayContaining(['preview']));

    // Work still happens after the hand-over, and state carried over intact.
    await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(2) }));
    const pushed = await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(2), 'Ready at the pushed SHA');
    expect(pushed.createdAt).toBe(ready.createdAt);
    expect(pushed.namespace).toBe(ready.namespace);
    expect(pushed.eventsHandled).toBe(42);

    // A delivery id remembered before the hand-over is still a duplicate after it.
    await handle.signal(prEventSignal, prEvent('closed', { deliveryId: ids[0] }));
    const dup = await untilStatus(handle, (s) => s.recentEvents.some((e) => e.kind === 'duplicate'), 'the duplicate');
    expect(dup.eventsHandled).toBe(42);
    expect(dup.phase).toBe('Ready');

    const runs = await runsOf(client, handle.workflowId);
    expect(runs.length).toBeGreaterThan(1);
    await expectFirstRunContinuedAsNew(handle, firstRunId, client);
    // The server's suggestion, not the configured count, caused it (that count is 1000 by default).
    expect(pushed.run).toBeGreaterThan(1);

    await handle.signal(prEventSignal, prEvent('closed'));
    expect(await handle.result()).toMatchObject({ phase: 'Destroyed', reason: 'pull request closed' });
  });
});

describe('continue-as-new after the configured number of events', () => {
  let connection: Connection;
  let native: NativeConnection;
  let client: Client;
  let w: RunningWorker;

  beforeAll(async () => {
    let namespace: string;
    ({ client, connection, namespace } = await devServerClient());
    native = await NativeConnection.connect({ address: connection.options.address });
    w = await startPreviewWorker({ connection: native, namespace, taskQueue: uniqueId('count-can'), workflowBundle: bundle });
  });

  afterAll(async () => {
    await w?.stop();
    await native?.close();
    await connection?.close();
  });

  it('continues as new every N messages and keeps every one of them', async () => {
    const handle = await startPreview(client, w.taskQueue, { repository: `acme/${uniqueId('count')}`, options: { continueAsNewAfterEvents: 5 } });
    const firstRunId = (await handle.describe()).runId;
    await untilStatus(handle, phaseIs('Ready'), 'Ready');

    // Three batches of five: each one crosses the threshold of the run that receives it.
    for (let batch = 1; batch <= 3; batch++) {
      await burst(handle, 5);
      await untilStatus(handle, (s) => s.eventsHandled === 1 + 5 * batch, `batch ${batch} handled`);
    }
    await handle.signal(prEventSignal, prEvent('labeled', { labels: ['preview', 'last'] }));
    const status = await untilStatus(handle, (s) => s.eventsHandled === 17 && s.run >= 3, 'all 17 events handled after two hand-overs');
    expect(status.labels).toEqual(['preview', 'last']);
    expect(status.phase).toBe('Ready');
    await expectFirstRunContinuedAsNew(handle, firstRunId, client);

    await handle.signal(prEventSignal, prEvent('closed'));
    expect((await handle.result()).phase).toBe('Destroyed');
  });
});
