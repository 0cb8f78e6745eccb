import { join } from 'node:path';
import { durationMs } from '../../src/config';
import { applicationName, namespaceNameFor, type KubeObject } from '../../src/kubernetes';
import { benchConfig, writeBenchConfig } from './bench-config';
import { ARGO_CONCURRENCY, ARGOCD_NAMESPACE, type BenchStack } from './bench-stack';
import { ratio, summarize, type Figure, type Section } from './figures';
import { mapLanes, timedLanes } from './lanes';
import { ObjectTimes } from './object-times';
import { eventTime, previewStatus } from './preview-status';
import { expiryFigures, expiryOf, usageFigures, type Expiry } from './scale-figures';
import { untilAllReady } from './scale-visibility';
import { lastTimerFired } from './timer-history';
import { benchRedeliveries, startBenchIngress, type BenchIngress } from './webhooks';
import { withTimeout } from './with-timeout';
import { sampleUsage, startWorkerProcess, type UsageWindow, type WorkerProcess } from './worker-process';
import type { ClusterSettings, ServiceConfig } from '../../src/config';
import { createKubernetesActivities } from '../../activities/kubernetes';
import { previewWorkflowId } from '../../src/lifecycle';
import type { PreviewRef } from '../../workflows/contract';

// 1,000 concurrent open previews on one worker process, with the real activities against the
// control plane and the Argo CD stand-in. The previews are draft PRs carrying the
// do-not-expire label (extended TTL), so none expires while the others are still being
// brought up or while the worker is sampled at rest. Then a sample of them is marked ready for
// review without the label: that restarts their idle TTL (short), and the expiries that
// follow are compared with the instants the workflows computed for them.

const REPOSITORY = 'bench/scale';
const KEY = 'scale';
const HOLD_LABEL = 'preview/do-not-expire';
const POLL_INTERVAL_MS = 1_000;
const SERVICES = ['api', 'www'];
const SETTLE_MS = 5_000;
const IDLE_SECONDS = 10;
const READY_DEADLINE_MS = 20 * 60_000;
/** Status and history reads at the same time. */
const READERS = 8;

export interface ScaleOptions {
  readonly previews: number;
  /** Idle TTL after ready_for_review, e.g. `60s`. */
  readonly ttl: string;
  readonly restSeconds: number;
  /** Concurrent webhook deliveries. */
  readonly concurrency: number;
  /** How many of the previews are made to expire. */
  readonly expiring: number;
  /** The prebuilt workflow bundle the worker loads (as dist/workflow-bundle.js in production). */
  readonly workflowBundle: string;
  /** Write V8 heap snapshots of the worker idle, at rest with n and with 2n open previews, into the logs. */
  readonly heapSnapshots?: boolean;
}

/** Previews brought up directly (no Temporal) for the bring-up baseline. */
const DIRECT_PREVIEWS = 200;
/** Previews whose history length is read. */
const HISTORY_SAMPLE = 50;

interface Run {
  readonly stack: BenchStack;
  readonly o: ScaleOptions;
  readonly cluster: ClusterSettings;
  readonly services: readonly ServiceConfig[];
  readonly worker: WorkerProcess;
  readonly ingress: BenchIngress;
  readonly namespaces: ObjectTimes;
  readonly applications: ObjectTimes;
  readonly logDir: string;
}

/** A heap snapshot of the worker (when asked for), after its memory was sampled. */
async function snapshot(r: Run, name: string): Promise<void> {
  if (!r.o.heapSnapshots) return;
  const file = join(r.logDir, `worker-scale-${name}.heapsnapshot`);
  await r.worker.heapSnapshot(file);
  say(`heap snapshot: ${file}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`bench: scale: ${line}\n`);
const preview = (i: number): PreviewRef => ({ repository: REPOSITORY, repoKey: KEY, prNumber: i + 1 });

interface BringUp {
  readonly seconds: number;
  readonly namespacesSeconds: number;
  readonly acceptRate: number;
  /** Per preview: its opened delivery sent → its workflow's "phase Ready" event, ms. */
  readonly perPreview: readonly number[];
}

/** Opens previews [from, from + n) and waits until all previews so far are Ready. */
async function bringUp(r: Run, from = 0): Promise<BringUp> {
  const n = r.o.previews;
  const sentAt: number[] = new Array<number>(n);
  const started = Date.now();
  const opening = await timedLanes(n, r.o.concurrency, async (i) => {
    sentAt[i] = Date.now();
    await r.ingress.send('opened', from + i + 1, { draft: true, labels: [HOLD_LABEL] });
  });
  say(`${n} opened deliveries accepted in ${opening.seconds.toFixed(1)} s`);
  const total = from + n;
  const allReady = await untilAllReady(r.stack.client, REPOSITORY, total, READY_DEADLINE_MS, (ready, waiting) =>
    say(`${ready}/${total} Ready after ${((Date.now() - started) / 1000).toFixed(0)} s (not yet: ${waiting} …)`),
  );
  say(`all ${total} Ready after ${((allReady - started) / 1000).toFixed(1)} s`);
  const created = await Promise.all(Array.from({ length: n }, (_, i) => r.namespaces.when('added', namespaceNameFor(r.cluster, preview(from + i)), 60_000)));
  const statuses = await mapLanes(n, READERS, (i) => previewStatus(r.stack.client, REPOSITORY, from + i + 1));
  return {
    seconds: (allReady - started) / 1000,
    namespacesSeconds: (Math.max(...created) - started) / 1000,
    acceptRate: n / opening.seconds,
    perPreview: statuses.map((s, i) => (eventTime(s, 'phase', 'Ready') ?? Number.NaN) - (sentAt[i] as number)),
  };
}

/** Expires an evenly spread sample of the previews and observes every step of each expiry. */
async function expire(r: Run): Promise<{ expiries: Expiry[]; burstSeconds: number }> {
  const n = r.o.previews;
  const m = Math.min(n, r.o.expiring);
  const ttlMs = durationMs(r.o.ttl);
  const sample = Array.from({ length: m }, (_, j) => Math.floor((j * n) / m));
  const touched = await timedLanes(m, r.o.concurrency, (j) => r.ingress.send('ready_for_review', (sample[j] as number) + 1, { draft: false, labels: [] }));
  say(`${m} ready_for_review deliveries accepted in ${touched.seconds.toFixed(1)} s; waiting for the ${r.o.ttl} expiries`);
  await withTimeout(
    Promise.all(sample.map((i) => r.namespaces.when('deleting', namespaceNameFor(r.cluster, preview(i)), ttlMs + READY_DEADLINE_MS))),
    ttlMs + READY_DEADLINE_MS,
    'every expired preview to have its namespace deletion issued',
  );
  const expiries = await mapLanes(m, READERS, async (j) => {
    const i = sample[j] as number;
    return expiryOf({
      status: await previewStatus(r.stack.client, REPOSITORY, i + 1),
      serverFired: await lastTimerFired(r.stack.client, REPOSITORY, i + 1),
      applicationsDeleting: SERVICES.flatMap((svc) => r.applications.deleting.get(applicationName(r.cluster, preview(i), svc)) ?? []),
      applications: SERVICES.length,
      namespaceDeleting: r.namespaces.deleting.get(namespaceNameFor(r.cluster, preview(i))),
    });
  });
  return { expiries, burstSeconds: touched.seconds };
}

/**
 * The bring-up baseline: the same objects (namespace, baseline, both phases' Applications)
 * created by previewd's own Kubernetes code called directly, without Temporal, at the ingress's
 * concurrency, against the same API server and Argo CD stand-in. Previews per second.
 */
async function directBringUp(r: Run): Promise<number> {
  const k8s = createKubernetesActivities({ kubeConfig: r.stack.kubeConfig, settings: r.cluster });
  const services = r.services;
  const phases = [...new Set(services.map((s) => s.phase))].sort((a, b) => a - b);
  const head = 'd'.repeat(40);
  const lanes = await timedLanes(DIRECT_PREVIEWS, r.o.concurrency, async (i) => {
    const ref: PreviewRef = { repository: 'bench/direct', repoKey: 'direct', prNumber: i + 1 };
    await k8s.ensureNamespace({ preview: ref, headSha: head, workflowId: `direct-${i}`, expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await k8s.applyBaseline({ preview: ref });
    for (const phase of phases) await k8s.deployApps({ preview: ref, headSha: head, phase, services: services.filter((s) => s.phase === phase) });
  });
  return DIRECT_PREVIEWS / lanes.seconds;
}

/** Mean history length of a sample of the open previews (their current runs). */
async function historyEvents(r: Run, count: number): Promise<number> {
  const picks = Array.from({ length: Math.min(HISTORY_SAMPLE, count) }, (_, j) => Math.floor((j * count) / Math.min(HISTORY_SAMPLE, count)));
  const lengths = await mapLanes(picks.length, READERS, async (j) => {
    const id = previewWorkflowId({ repository: REPOSITORY, number: (picks[j] as number) + 1 });
    return (await r.stack.client.workflow.getHandle(id).fetchHistory()).events?.length ?? 0;
  });
  return lengths.reduce((a, b) => a + b, 0) / lengths.length;
}

function method(o: ScaleOptions, idle: UsageWindow, rest: UsageWindow, m: number, burstSeconds: number): string[] {
  const n = o.previews;
  return [
    `${n} signed pull_request.opened deliveries (draft PRs with the ${HOLD_LABEL} label: extended TTL 12 h) through the real ingress, ${o.concurrency} concurrent; one worker process (src/worker/main.ts under swc-node, real activities, GitHub reporting off) as production runs it: the prebuilt workflow bundle, worker.tuning at its defaults (cache 40 workflows, 50 activity slots, 40 workflow task slots), the cluster watch on; against the control plane; Argo CD stand-in driven by a watch, ${ARGO_CONCURRENCY} Applications at a time over one keep-alive connection pool`,
    `2 services per preview in 2 rollout phases: ${n * 2} Applications, ${n} namespaces with NetworkPolicy, ResourceQuota and LimitRange; readiness and teardown are short checks with durable timers in between (first wait cluster.timeouts.pollIntervalMs = ${POLL_INTERVAL_MS} ms, doubling to 30 s), woken early by the cluster watch`,
    `bring-up baseline: ${DIRECT_PREVIEWS} previews' objects (namespace, baseline, both phases' Applications) created by previewd's Kubernetes code called directly, without Temporal, ${o.concurrency} at a time, against the same API server, right after`,
    `then ${n} more previews are opened the same way, and the worker is sampled at rest again with ${2 * n} open`,
    'Ready is counted through visibility (PreviewPhase search attribute), polled every 500 ms; per-preview Ready time is the workflow\'s own "phase Ready" event minus the time its opened delivery was sent',
    `at rest: after all were Ready and ${SETTLE_MS / 1000} s of settling, process.memoryUsage() (after a full garbage collection: retained memory) and process.cpuUsage() sampled inside the worker process every second for ${rest.seconds.toFixed(0)} s; baseline: the same worker idle for ${idle.seconds.toFixed(0)} s before the first delivery`,
    `TTL: ${m} of the ${n} previews (every ${(n / m).toFixed(0)}th PR) then get pull_request.ready_for_review without the label (published example), which restarts their idle TTL of ${o.ttl}; the other ${n - m} stay open. Expiry instant = the workflow's expiresAt (status query); "timer fired" = the server's TimerFired history event; "workflow handled the expiry" = the workflow's own teardown-requested event (the start of the workflow task the timer woke); "teardown started" = first Application deletionTimestamp seen by a watch; "namespace deletion issued" = the namespace's deletionTimestamp seen by a watch`,
    `${m} expiries within ${burstSeconds.toFixed(0)} s is a burst; no teardown holds an activity slot while it waits (each step returns at once), and teardown steps go ahead of deploys and reports in the task queue (priority 1)`,
  ];
}

async function measure(r: Run): Promise<Section> {
  const n = r.o.previews;
  await sleep(SETTLE_MS);
  const idle = await sampleUsage(r.worker, IDLE_SECONDS);
  await snapshot(r, 'idle');
  const up = await bringUp(r);
  const eventsAtReady = await historyEvents(r, n);
  say(`sampling the worker at rest for ${r.o.restSeconds} s`);
  await sleep(SETTLE_MS);
  const rest = await sampleUsage(r.worker, r.o.restSeconds);
  await snapshot(r, `rest-${n}`);
  const directRate = await directBringUp(r);
  say(`direct bring-up: ${directRate.toFixed(2)} previews/s; opening ${n} more`);
  const second = await bringUp(r, n);
  await sleep(SETTLE_MS);
  const rest2 = await sampleUsage(r.worker, r.o.restSeconds);
  await snapshot(r, `rest-${2 * n}`);
  say(`worker RSS at rest: ${rest.rssMeanMiB.toFixed(0)} MiB with ${n} open previews, ${rest2.rssMeanMiB.toFixed(0)} MiB with ${2 * n} (idle ${idle.rssMeanMiB.toFixed(0)} MiB)`);
  const { expiries, burstSeconds } = await expire(r);
  const perReady = summarize(up.perPreview);
  const rate = n / up.seconds;
  const figures: Figure[] = [
    { name: `time to bring all ${n} to Ready (first opened delivery → last Ready)`, value: up.seconds, unit: 's' },
    { name: 'bring-up throughput', value: rate, unit: 'previews/s', ratio: ratio(rate, directRate, `the same objects created directly (${directRate.toFixed(2)} previews/s)`) },
    { name: `time until all ${n} namespaces existed`, value: up.namespacesSeconds, unit: 's' },
    { name: 'opened delivery → Ready, per preview p50', value: perReady.p50 / 1000, unit: 's' },
    { name: 'opened delivery → Ready, per preview p95', value: perReady.p95 / 1000, unit: 's' },
    { name: `${n} opened deliveries accepted by the ingress`, value: up.acceptRate, unit: 'req/s' },
    { name: 'history events per preview at Ready (mean of a sample)', value: eventsAtReady, unit: 'events' },
    ...usageFigures(idle, rest, n),
    { name: `worker RSS at rest, ${2 * n} open previews (mean)`, value: rest2.rssMeanMiB, unit: 'MiB', ratio: ratio(rest2.rssMeanMiB, rest.rssMeanMiB, `RSS at ${n}`) },
    { name: `second ${n}: bring-up throughput`, value: n / second.seconds, unit: 'previews/s' },
    ...expiryFigures(expiries, durationMs(r.o.ttl)),
    { name: 'deliveries sent again after a 503 (Temporal slow to accept; whole run)', value: benchRedeliveries(), unit: 'deliveries' },
  ];
  return {
    id: 'scale',
    title: `Scale: ${n.toLocaleString('en-US')} (then ${(2 * n).toLocaleString('en-US')}) concurrent open previews on one worker`,
    method: method(r.o, idle, rest, expiries.length, burstSeconds),
    figures,
  };
}

export async function measureScale(stack: BenchStack, o: ScaleOptions): Promise<Section> {
  const taskQueue = 'bench-scale';
  const configFile = join(stack.logDir, 'scale-config.yaml');
  const config = writeBenchConfig(
    benchConfig({
      temporal: { address: stack.temporal.address, namespace: stack.temporal.namespace, taskQueue },
      kubeconfig: stack.kubeconfig,
      pollIntervalMs: POLL_INTERVAL_MS,
      repository: { fullName: REPOSITORY, key: KEY, ttl: { default: o.ttl, extended: '12h', extendedLabel: HOLD_LABEL, max: '1d' }, trigger: { drafts: true } },
      workflowBundle: o.workflowBundle,
    }),
    configFile,
  );
  const cluster = config.cluster;
  if (!cluster) throw new Error('bench config has no cluster section');
  const ours = new Set(Array.from({ length: 2 * o.previews }, (_, i) => namespaceNameFor(cluster, preview(i))));
  const destination = (app: KubeObject) => (app.spec as { destination?: { namespace?: string } } | undefined)?.destination?.namespace ?? '';
  const namespaces = await ObjectTimes.start(stack.kubeConfig, '/api/v1/namespaces', (ns) => ours.has(ns.metadata.name));
  const stops: (() => Promise<void> | void)[] = [() => namespaces.stop()];
  try {
    const applications = await ObjectTimes.start(stack.kubeConfig, `/apis/argoproj.io/v1alpha1/namespaces/${ARGOCD_NAMESPACE}/applications`, (app) => ours.has(destination(app)));
    stops.unshift(() => applications.stop());
    const worker = await startWorkerProcess({ configFile, execArgv: ['--expose-gc'], logFile: join(stack.logDir, 'worker-scale.log'), connection: stack.connection, namespace: stack.temporal.namespace, taskQueue });
    stops.unshift(() => worker.stop());
    const ingress = await startBenchIngress(config, stack.client);
    stops.unshift(() => ingress.close());
    const services = config.repositories[0]?.services ?? [];
    return await measure({ stack, o, cluster, services, worker, ingress, namespaces, applications, logDir: stack.logDir });
  } finally {
    for (const stop of stops) await stop();
  }
}
