import { join } from 'node:path';
import { namespaceNameFor } from '../../src/kubernetes';
import { previewWorkflowId } from '../../src/lifecycle';
import { benchConfig, writeBenchConfig } from './bench-config';
import type { BenchStack } from './bench-stack';
import { ratio, summarize, type Section } from './figures';
import { ObjectTimes } from './object-times';
import { untilReady } from './preview-status';
import { withTimeout } from './with-timeout';
import { startBenchIngress } from './webhooks';
import { startWorkerProcess } from './worker-process';

// Orchestration overhead of creating and deleting a preview: a signed `opened` webhook until
// the namespace exists in the API server, and a `closed` webhook until its deletion is issued,
// through the real ingress, Temporal, the real worker process and the real Kubernetes
// activities. Baseline: the same namespace create and delete sent straight to the API server,
// observed by the same watch.

// The production default first wait (cluster.timeouts.pollIntervalMs), doubling to 30 s.
const POLL_INTERVAL_MS = 2_000;
const WARMUP = 2;

export interface CreateDeleteOptions {
  readonly samples: number;
  /** worker.clusterWatch: waits woken by the watch, or by their timers only. */
  readonly clusterWatch: boolean;
  readonly workflowBundle: string;
}

/** Mean history length of these previews' (single) runs. */
async function meanHistoryEvents(stack: BenchStack, repository: string, numbers: readonly number[]): Promise<number> {
  let total = 0;
  for (const n of numbers) total += (await stack.client.workflow.getHandle(previewWorkflowId({ repository, number: n })).fetchHistory()).events?.length ?? 0;
  return total / numbers.length;
}

export async function measureCreateDelete(stack: BenchStack, o: CreateDeleteOptions): Promise<Section> {
  const { samples } = o;
  const mode = o.clusterWatch ? 'watch' : 'timers';
  const REPOSITORY = `bench/latency-${mode}`;
  const KEY = `lat${mode[0]}`;
  const taskQueue = `bench-latency-${mode}`;
  const raw = benchConfig({
    temporal: { address: stack.temporal.address, namespace: stack.temporal.namespace, taskQueue },
    kubeconfig: stack.kubeconfig,
    pollIntervalMs: POLL_INTERVAL_MS,
    repository: { fullName: REPOSITORY, key: KEY },
    workflowBundle: o.workflowBundle,
    clusterWatch: o.clusterWatch,
  });
  const configFile = join(stack.logDir, `latency-${mode}-config.yaml`);
  const config = writeBenchConfig(raw, configFile);
  const cluster = config.cluster;
  if (!cluster) throw new Error('bench config has no cluster section');
  const namespace = (n: number) => namespaceNameFor(cluster, { repository: REPOSITORY, repoKey: KEY, prNumber: n });
  const times = await ObjectTimes.start(stack.kubeConfig, '/api/v1/namespaces');
  const stops: (() => Promise<void> | void)[] = [() => times.stop()];
  const created: number[] = [];
  const ready: number[] = [];
  const deleting: number[] = [];
  try {
    const worker = await startWorkerProcess({ configFile, logFile: join(stack.logDir, `worker-latency-${mode}.log`), connection: stack.connection, namespace: stack.temporal.namespace, taskQueue });
    stops.unshift(() => worker.stop());
    const ingress = await startBenchIngress(config, stack.client);
    stops.unshift(() => ingress.close());
    process.stdout.write(`bench: create-delete: worker process ${worker.pid} polling; ${samples} lifecycles\n`);
    const lifecycle = async (n: number) => {
      const opened = Date.now();
      await ingress.send('opened', n);
      const exists = await times.when('added', namespace(n), 60_000);
      const isReady = await untilReady(stack.client, REPOSITORY, n, 120_000);
      const closed = Date.now();
      await ingress.send('closed', n);
      const gone = await times.when('deleting', namespace(n), 120_000);
      return { created: exists - opened, ready: isReady - opened, deleting: gone - closed };
    };
    for (let n = 1; n <= WARMUP; n++) await lifecycle(10_000 + n);
    for (let n = 1; n <= samples; n++) {
      const r = await lifecycle(n);
      created.push(r.created);
      ready.push(r.ready);
      deleting.push(r.deleting);
    }
    const rawCreated: number[] = [];
    const rawDeleting: number[] = [];
    for (let i = 0; i < samples + WARMUP; i++) {
      const name = `bench-raw-${mode}-${i}`;
      const t0 = Date.now();
      await stack.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      const t1 = await times.when('added', name, 30_000);
      const t2 = Date.now();
      await stack.api.delete({ apiVersion: 'v1', kind: 'Namespace', name }, 'Background');
      const t3 = await times.when('deleting', name, 30_000);
      if (i >= WARMUP) {
        rawCreated.push(t1 - t0);
        rawDeleting.push(t3 - t2);
      }
    }
    // Let every lifecycle finish (namespaces gone) so the next measurement starts clean.
    const numbers = Array.from({ length: samples + WARMUP }, (_, i) => (i < WARMUP ? 10_001 + i : i - WARMUP + 1));
    await withTimeout(
      Promise.all(numbers.map((n) => stack.client.workflow.getHandle(previewWorkflowId({ repository: REPOSITORY, number: n })).result())),
      180_000,
      'the latency previews to finish their teardown',
    );
    const events = await meanHistoryEvents(stack, REPOSITORY, numbers.slice(WARMUP));
    const c = summarize(created);
    const r = summarize(ready);
    const d = summarize(deleting);
    const rc = summarize(rawCreated);
    const rd = summarize(rawDeleting);
    return {
      id: o.clusterWatch ? 'create-delete' : 'create-delete-timers',
      title: o.clusterWatch
        ? 'Create and delete latency (webhook → namespace in the API server), waits woken by the cluster watch'
        : 'Create and delete latency, waits on durable timers only (worker.clusterWatch = false)',
      method: [
        `${samples} preview lifecycles one after another (after ${WARMUP} warm-up ones): signed pull_request.opened (published example) → real ingress → Temporal → worker process (src/worker/main.ts) → real Kubernetes activities; Ready; then pull_request.closed`,
        '"namespace exists" and "deletion issued" (deletionTimestamp set) are timestamped by a watch on /api/v1/namespaces (watch API, not polling); "Ready" by polling the status query every 50 ms',
        `Argo CD stand-in driven by a watch on Applications; 2 services in 2 rollout phases; readiness and teardown are checked by short activities with durable timers in between: first wait cluster.timeouts.pollIntervalMs = ${POLL_INTERVAL_MS} ms (the default), doubling to maxPollIntervalMs (30 s); ${o.clusterWatch ? 'the worker\'s cluster watch signals a waiting workflow when its Applications or namespace change, which ends the wait early' : 'no cluster watch: every wait ends on its timer'}`,
        'worker as production runs it: prebuilt workflow bundle, tuning from config defaults',
        `baseline: ${samples} namespaces created and deleted directly with the admin client, timed by the same watch`,
        'closed → deletion issued includes the teardown deleting both Applications and waiting for the Argo CD stand-in to prune them and drop its finalizer, before the namespace is deleted',
      ],
      figures: [
        { name: 'opened → namespace exists p50', value: c.p50, unit: 'ms', ratio: ratio(c.p50, rc.p50, 'direct namespace create p50') },
        { name: 'opened → namespace exists p95', value: c.p95, unit: 'ms', ratio: ratio(c.p95, rc.p95, 'direct namespace create p95') },
        { name: 'opened → Ready p50', value: r.p50, unit: 'ms' },
        { name: 'opened → Ready p95', value: r.p95, unit: 'ms' },
        { name: 'closed → namespace deletion issued p50', value: d.p50, unit: 'ms', ratio: ratio(d.p50, rd.p50, 'direct namespace delete p50') },
        { name: 'closed → namespace deletion issued p95', value: d.p95, unit: 'ms', ratio: ratio(d.p95, rd.p95, 'direct namespace delete p95') },
        { name: 'history events per preview (open → Ready → closed → Destroyed, mean)', value: events, unit: 'events' },
        { name: 'direct namespace create p50', value: rc.p50, unit: 'ms' },
        { name: 'direct namespace create p95', value: rc.p95, unit: 'ms' },
        { name: 'direct namespace delete p50', value: rd.p50, unit: 'ms' },
        { name: 'direct namespace delete p95', value: rd.p95, unit: 'ms' },
      ],
    };
  } finally {
    for (const stop of stops) await stop();
  }
}
