// Webhook received → signal durably accepted by Temporal, measured over real HTTP against a
// real dev server, next to raw signal-with-start measured in the same run (DESIGN "Numbers to
// beat": report the ratio, these machines are noisy). No worker polls the task queue: what is
// measured is acceptance, not what the workflows do afterwards.
import type { Client } from '@temporalio/client';
import { parseConfig } from '../../src/config';
import { buildIngress, WEBHOOK_PATH } from '../../src/ingress';
import { createLogger } from '../../src/observability';
import { previewWorkflowId } from '../../src/lifecycle';
import { pullRequestEvent, signedDelivery } from '../integration/ingress/github-examples';
import { ratio, summarize, type Section } from './figures';
import { timedLanes } from './lanes';

const SECRET = 'bench-webhook-secret-0001';

/**
 * `n` signed `pull_request.opened` deliveries (GitHub's published example, one PR each) posted
 * to the ingress over HTTP; each reply is 202 only after Temporal accepted the signal-with-start.
 * Then `n` raw signal-with-start calls of the same workflow type on the same server.
 */
export async function measureIngressAccept(client: Client, n: number, concurrency: number): Promise<Section> {
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
    await timedLanes(warmup, concurrency, (i) => post(n + i));
    await timedLanes(warmup, concurrency, (i) => signalWithStart(n + i));
    const ingressRun = await timedLanes(n, concurrency, post);
    const rawRun = await timedLanes(n, concurrency, signalWithStart);
    const ingress = summarize(ingressRun.latencies);
    const raw = summarize(rawRun.latencies);
    const ingressRate = n / ingressRun.seconds;
    const rawRate = n / rawRun.seconds;
    return {
      id: 'ingress',
      title: 'Ingress accept (webhook → 202 after Temporal accepted the signal-with-start)',
      method: [
        `${n} signed pull_request.opened deliveries (GitHub's published example, one PR each) over HTTP to the real ingress (buildIngress), ${concurrency} concurrent; ${warmup} warm-up deliveries first`,
        `baseline: ${n} raw client.workflow.signalWithStart calls of the same workflow type, same dev server, same concurrency, measured right after`,
        'no worker polls the task queue: acceptance only',
      ],
      figures: [
        { name: 'ingress throughput', value: ingressRate, unit: 'req/s', ratio: ratio(ingressRate, rawRate, 'raw signal-with-start throughput') },
        { name: 'ingress accept p50', value: ingress.p50, unit: 'ms', ratio: ratio(ingress.p50, raw.p50, 'raw signal-with-start p50') },
        { name: 'ingress accept p99', value: ingress.p99, unit: 'ms', ratio: ratio(ingress.p99, raw.p99, 'raw signal-with-start p99') },
        { name: 'raw signal-with-start throughput', value: rawRate, unit: 'req/s' },
        { name: 'raw signal-with-start p50', value: raw.p50, unit: 'ms' },
        { name: 'raw signal-with-start p99', value: raw.p99, unit: 'ms' },
      ],
    };
  } finally {
    await app.close();
  }
}
