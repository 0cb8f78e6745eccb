import type { Connection } from '@temporalio/client';
import { devServerClient, harnessState, uniqueId } from '../harness';
import {
  delay,
  lifecycleFigures,
  lifecycleViolations,
  openScenario,
  PreviewDriver,
  printFigures,
  runLifecycle,
  scenarioRandom,
  spread,
  WorkerProcess,
  type ChaosScenario,
  type LifecyclePlan,
  type LifecycleResult,
} from './support';

// The worker is SIGKILLed at random moments while 20 previews open, deploy, close and tear
// down, and restarted each time (a new process: bundle, connect, poll). Whatever each kill
// interrupted — a workflow task, a deploy, a readiness wait, a teardown — Temporal hands it to
// the next worker once its timeout passes. Every preview must still end Destroyed with its
// namespace gone, and no Argo CD Application may ever exist twice.

const LIFECYCLES = 20;
const KILLS = 8;
/** Previews open at random moments in this window, so kills find them at every stage. */
const START_WINDOW_MS = 60_000;

let scenario: ChaosScenario | undefined;
let worker: WorkerProcess | undefined;
let connection: Connection | undefined;
let driver: PreviewDriver | undefined;

afterAll(async () => {
  await worker?.stop();
  await driver?.terminateAll(LIFECYCLES);
  await scenario?.close();
  await connection?.close();
});

interface KillRecord {
  readonly atS: number;
  readonly phases: string[];
  readonly inFlight: string[];
}

test(`SIGKILL the worker ${KILLS} times during ${LIFECYCLES} lifecycles: each ends with its namespace gone, no Application duplicated`, async () => {
  const random = scenarioRandom('worker-kills');
  scenario = await openScenario('worker-kills', 'ck');
  const s = scenario;
  const { client, connection: conn, namespace } = await devServerClient();
  connection = conn;
  const { temporal, kube } = harnessState();
  const taskQueue = uniqueId('chaos-kills');
  worker = new WorkerProcess('worker', s.workerConfig('worker', { address: temporal.address, namespace, taskQueue }, kube.kubeconfig), s.logDir);
  const w = worker;
  const startTimes = [await w.start()];
  driver = new PreviewDriver(client, taskQueue, s.repo, { readinessTimeout: '10m', readinessSlice: '30s' });
  const d = driver;

  const plans: LifecyclePlan[] = Array.from({ length: LIFECYCLES }, (_, i) => ({ pr: i + 1, startAfterMs: random.between(0, START_WINDOW_MS), holdMs: random.between(0, 4_000) }));
  const schedule = Array.from({ length: KILLS }, () => ({ upMs: random.between(2_000, 7_000), downMs: random.between(200, 3_000) }));
  process.stdout.write(`chaos worker-kills: kill schedule (uptime/downtime ms) ${schedule.map((k) => `${k.upMs}/${k.downMs}`).join(' ')}\n`);

  const progress = new Map<number, LifecycleResult>();
  const ctx = { driver: d, api: s.api, repo: s.repo, readyTimeoutMs: 360_000, outcomeTimeoutMs: 360_000, progress };
  const started = Date.now();
  const lifecycles = Promise.all(plans.map((plan) => runLifecycle(ctx, plan, started)));

  // What each kill interrupts, read from the server just before it (describe needs no worker).
  const snapshot = async (): Promise<Omit<KillRecord, 'atS'>> => {
    const open = [...progress.values()].filter((r) => r.endedAt === undefined && r.error === undefined);
    const described = await Promise.all(open.map((r) => d.describe(r.pr)));
    const live = described.filter((x): x is NonNullable<typeof x> => x !== undefined && x.status.name === 'RUNNING');
    return { phases: live.map((x) => PreviewDriver.phaseOf(x) ?? 'Pending'), inFlight: live.flatMap((x) => PreviewDriver.startedActivities(x, w.startedAt)) };
  };
  const kills: KillRecord[] = [];
  let downMs = 0;
  for (const { upMs, downMs: down } of schedule) {
    await delay(upMs);
    const seen = await snapshot();
    const killedAt = Date.now();
    await w.kill();
    kills.push({ atS: Math.round((killedAt - started) / 1000), ...seen });
    await delay(down);
    startTimes.push(await w.start());
    downMs += Date.now() - killedAt;
  }
  const results = await lifecycles;
  const total = Date.now() - started;

  const count = (items: string[]) => items.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});
  await waitUntilWatchSettles(s);
  printFigures('worker-kills', {
    seed: random.seed,
    lifecycles: LIFECYCLES,
    kills: w.kills,
    'kill times (s after first start)': kills.map((k) => k.atS).join(', '),
    'phases of the open previews at each kill (summed over kills)': count(kills.flatMap((k) => k.phases)),
    'activities the killed worker held (lost; retried once their timeout passes)': count(kills.flatMap((k) => k.inFlight)),
    'kills that interrupted at least one activity': kills.filter((k) => k.inFlight.length > 0).length,
    'worker start (bundle+connect), s': spread(startTimes.map((ms) => ms / 1000)),
    'worker down in total, s': downMs / 1000,
    ...lifecycleFigures(results),
    'whole scenario, s': total / 1000,
    'Applications seen (incarnations)': s.watch.incarnations.size,
    'watch reconnects': s.watch.reconnects,
  });

  expect(lifecycleViolations(results)).toEqual([]);
  expect(s.applicationViolations()).toEqual([]);
  // Two services per preview, each created exactly once.
  expect(s.watch.incarnations.size).toBe(LIFECYCLES * 2);
  expect(w.kills).toBe(KILLS);
  expect(w.unexpectedExits).toEqual([]);
  // The kills must actually have interrupted work, or this proved nothing.
  expect(kills.filter((k) => k.inFlight.length > 0).length).toBeGreaterThan(0);
}, 600_000);

/** The teardown waited for the deletions; give their watch events a moment to arrive. */
async function waitUntilWatchSettles(s: ChaosScenario): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (s.watch.live().length > 0 && Date.now() < deadline) await delay(200);
}
