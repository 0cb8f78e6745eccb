import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePorts } from '../../src/dev/free-ports';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/dev/temporal-dev-server';
import { harnessState, uniqueId } from '../harness';
import {
  delay,
  lifecycleFigures,
  lifecycleViolations,
  openScenario,
  PreviewDriver,
  printFigures,
  runLifecycle,
  scenarioRandom,
  WorkerProcess,
  type ChaosScenario,
  type LifecyclePlan,
  type LifecycleResult,
} from './support';
import { guardedInterceptors } from '../../src/temporal-client';

// A Temporal dev server of this scenario's own, persisted to a SQLite file on a fixed port,
// is SIGKILLed (a crash: no shutdown) while previews are deploying, Ready and tearing down,
// and started again on the same port and database after a while. Meanwhile webhook
// deliveries are refused (the ingress's 503) and redelivered. Every preview must converge.
// The worker process is supervised like a pod: if it exits on its own, it is started again,
// and the figures say so.

const LIFECYCLES = 6;

let scenario: ChaosScenario | undefined;
let server: TemporalDevServer | undefined;
let worker: WorkerProcess | undefined;
let connection: Connection | undefined;
let driver: PreviewDriver | undefined;
let supervisor: NodeJS.Timeout | undefined;

afterAll(async () => {
  clearInterval(supervisor);
  await worker?.stop();
  if (server?.process.child.exitCode === null) await driver?.terminateAll(LIFECYCLES);
  await connection?.close();
  await server?.process.stop();
  await scenario?.close();
});

async function crash(dev: TemporalDevServer): Promise<void> {
  const exited = new Promise<void>((resolve) => dev.process.child.once('exit', () => resolve()));
  process.kill(-dev.process.pid, 'SIGKILL');
  await exited;
}

/** Whether the frontend answers within a second. */
async function answers(conn: Connection): Promise<boolean> {
  try {
    await conn.withDeadline(Date.now() + 1_000, () => conn.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

test(`SIGKILL and restart the Temporal dev server (same port, same database) in the middle of ${LIFECYCLES} lifecycles: they converge`, async () => {
  const random = scenarioRandom('temporal-restart');
  scenario = await openScenario('temporal-restart', 'ct');
  const s = scenario;
  const { temporalCli, kube } = harnessState();
  const dbFile = join(s.dir, 'temporal.db');
  const [port] = (await freePorts(1)) as [number];
  const startServer = () => startTemporalDevServer({ cliPath: temporalCli, logDir: s.logDir, dbFile, port, ui: false });
  server = await startServer();
  connection = await Connection.connect({ address: server.address, interceptors: guardedInterceptors() });
  const conn = connection;
  const client = new Client({ connection: conn, namespace: server.namespace });
  const taskQueue = uniqueId('chaos-temporal');
  worker = new WorkerProcess('worker', s.workerConfig('worker', { address: server.address, namespace: server.namespace, taskQueue }, kube.kubeconfig), s.logDir);
  const w = worker;
  await w.start();
  // Like a Deployment's restart policy: a worker that exits on its own is started again.
  let supervising = true;
  let restarting: Promise<unknown> | undefined;
  supervisor = setInterval(() => {
    if (!supervising || restarting || w.running) return;
    restarting = w.start().finally(() => (restarting = undefined));
  }, 1_000);
  driver = new PreviewDriver(client, taskQueue, s.repo, { readinessTimeout: '10m', readinessSlice: '30s' });
  const d = driver;

  // Opened over 20 s, so when the server goes down some previews are deploying, some Ready,
  // one tearing down, and some not opened yet (their deliveries meet the outage).
  const plans: LifecyclePlan[] = Array.from({ length: LIFECYCLES }, (_, i) => ({ pr: i + 1, startAfterMs: random.between(0, 20_000), holdMs: random.between(0, 3_000) }));
  const outageAfterMs = random.between(4_000, 10_000);
  const outageMs = random.between(5_000, 15_000);
  process.stdout.write(`chaos temporal-restart: crash at least ${outageAfterMs} ms after the first start, once a teardown is under way; down for ${outageMs} ms\n`);

  const progress = new Map<number, LifecycleResult>();
  const started = Date.now();
  const lifecycles = Promise.all(
    plans.map((plan) => runLifecycle({ driver: d, api: s.api, repo: s.repo, readyTimeoutMs: 300_000, outcomeTimeoutMs: 300_000, progress }, plan, started)),
  );

  await delay(outageAfterMs);
  const tearingDown = () => [...progress.values()].some((r) => r.closedAt !== undefined && r.endedAt === undefined);
  const latest = Date.now() + 60_000;
  while (!tearingDown() && Date.now() < latest) await delay(100);
  const stage = (r: LifecycleResult | undefined) => (!r ? 'not opened yet' : r.closedAt ? 'closed, tearing down' : r.readyAt ? 'ready' : 'deploying');
  const atCrash = plans.map((p) => progress.get(p.pr)).filter((r) => !r?.endedAt && !r?.error).map(stage);
  const crashAtMs = Date.now() - started;
  await crash(server);
  const crashedAt = Date.now();
  const downWhileCrashed = !(await answers(conn));
  await delay(Math.max(0, crashedAt + outageMs - Date.now()));
  server = await startServer();
  const restartedAt = Date.now();
  const results = await lifecycles;
  const doneAt = Date.now();
  supervising = false;
  await restarting;
  const deadline = Date.now() + 10_000;
  while (s.watch.live().length > 0 && Date.now() < deadline) await delay(200);

  printFigures('temporal-restart', {
    seed: random.seed,
    lifecycles: LIFECYCLES,
    'stop signal': 'SIGKILL to the dev server process group',
    'crash at, s after first start': crashAtMs / 1000,
    'server down (crash to serving again), s': (restartedAt - crashedAt) / 1000,
    'previews at the crash': atCrash.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {}),
    'deliveries refused while down (503, redelivered)': d.unavailable,
    'worker exits on its own (restarted by the supervisor)': w.unexpectedExits.length,
    'worker starts': w.starts,
    ...lifecycleFigures(results),
    'server back → every preview done, s': (doneAt - restartedAt) / 1000,
    'whole scenario, s': (doneAt - started) / 1000,
    'Applications seen (incarnations)': s.watch.incarnations.size,
  });

  expect(downWhileCrashed).toBe(true);
  // The crash landed in the middle: a teardown was under way.
  expect(atCrash).toContain('closed, tearing down');
  expect(lifecycleViolations(results)).toEqual([]);
  expect(s.applicationViolations()).toEqual([]);
  expect(s.watch.incarnations.size).toBe(LIFECYCLES * 2);
}, 480_000);
