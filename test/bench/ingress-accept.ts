// Webhook received → signal durably accepted by Temporal, measured over real HTTP against a
// real dev server, next to raw signal-with-start measured in the same run (DESIGN "Numbers to
// beat": report the ratio, these machines are noisy). Measurements only, never pass/fail.
//
//   node -r @swc-node/register test/bench/ingress-accept.ts [deliveries] [concurrency]
//
// or call `measureIngressAccept(client, …)` from test/bench/run.ts with its dev server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { parseConfig } from '../../src/config';
import { startTemporalDevServer } from '../../src/dev/temporal-dev-server';
import { buildIngress, createLogger, WEBHOOK_PATH } from '../../src/ingress';
import { previewWorkflowId } from '../../src/lifecycle';
import { resolveBinaries } from '../harness/binaries';
import { pullRequestEvent, signedDelivery } from '../integration/ingress/github-examples';

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const SECRET = 'bench-webhook-secret-0001';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timed(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      await one(i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

/**
 * `n` signed `pull_request.opened` deliveries (GitHub's published example, one PR each) posted
 * to the ingress over HTTP; each reply is 202 only after Temporal accepted the signal-with-start.
 * Then `n` raw signal-with-start calls on the same server as the baseline.
 */
export async function measureIngressAccept(client: Client, n = 300, concurrency = 16): Promise<Figure[]> {
  const run = Date.now().toString(36);
  const repository = `bench/accept-${run}`;
  const taskQueue = `bench-ingress-${run}`;
  const config = parseConfig({
    temporal: { address: 'unused:7233', namespace: client.options.namespace, taskQueue },
    github: { webhookSecrets: [SECRET] },
    // The benchmark measures acceptance, not the per-repository limit.
    ingress: { rateLimit: { max: 1_000_000 } },
    log: { level: 'warn' },
    repositories: [{ fullName: repository, key: 'bench', trigger: { mode: 'always' }, services: [{ name: 'web', source: { repoURL: 'r', path: 'p', image: 'i' } }] }],
  });
  const app = await buildIngress({ config, client, logger: createLogger({ level: 'warn' }) });
  try {
    const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}${WEBHOOK_PATH}`;
    const warmup = Math.min(20, n);
    const deliveries = await Promise.all(Array.from({ length: n + warmup }, (_, i) => signedDelivery('pull_request', pullRequestEvent('opened', { repository, number: i + 1 }), SECRET)));
    const post = async (i: number) => {
      const d = deliveries[i];
      if (!d) throw new Error('missing delivery');
      const res = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
      if (res.status !== 202) throw new Error(`delivery ${i} answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    const signalWithStart = async (i: number) => {
      await client.workflow.signalWithStart('previewLifecycle', {
        taskQueue,
        workflowId: previewWorkflowId({ repository: `bench/raw-${run}`, number: i + 1 }),
        args: [{}],
        signal: 'prEvent',
        signalArgs: [{}],
      });
    };
    // Warm both paths (connections, JIT, the signature library's import) before measuring.
    await timed(warmup, concurrency, (i) => post(n + i));
    await timed(warmup, concurrency, (i) => signalWithStart(n + i));
    const ingress = await timed(n, concurrency, post);
    const raw = await timed(n, concurrency, signalWithStart);
    const p = (r: { latencies: number[] }, q: number) => percentile(r.latencies, q);
    return [
      { name: 'ingress accept p50 (HTTP → 202 after signal-with-start)', value: p(ingress, 50), unit: 'ms' },
      { name: 'ingress accept p99', value: p(ingress, 99), unit: 'ms' },
      { name: 'ingress throughput', value: n / ingress.seconds, unit: 'req/s' },
      { name: 'raw signal-with-start p50', value: p(raw, 50), unit: 'ms' },
      { name: 'raw signal-with-start p99', value: p(raw, 99), unit: 'ms' },
      { name: 'raw signal-with-start throughput', value: n / raw.seconds, unit: 'req/s' },
      { name: 'ingress p99 / raw p99', value: p(ingress, 99) / p(raw, 99), unit: 'x' },
      { name: 'ingress throughput / raw throughput', value: n / ingress.seconds / (n / raw.seconds), unit: 'x' },
    ];
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300);
  const concurrency = Number(process.argv[3] ?? 16);
  const server = await startTemporalDevServer({ cliPath: resolveBinaries({ kube: false }).temporalCli, logDir: mkdtempSync(join(tmpdir(), 'previewd-bench-')), ui: false });
  const connection = await Connection.connect({ address: server.address });
  try {
    const figures = await measureIngressAccept(new Client({ connection, namespace: server.namespace }), n, concurrency);
    process.stdout.write(`${n} deliveries, concurrency ${concurrency}\n`);
    for (const f of figures) process.stdout.write(`${f.name.padEnd(58)} ${f.value.toFixed(2).padStart(10)} ${f.unit}\n`);
  } finally {
    await connection.close();
    await server.process.stop();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
