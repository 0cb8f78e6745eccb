import { NativeConnection } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { runCli, type CliIo } from '../../../../src/cli';
import { buildIngress } from '../../../../src/ingress';
import { createLogger } from '../../../../src/observability';
import { harnessState, uniqueId, devServerClient } from '../../../harness';
import { pullRequestEvent } from '../../../integration/ingress/github-examples';
import { deliver, eventually, repositoryEntry, testConfig } from '../../../integration/ingress/support';
import { bundlePreviewWorkflows, quietTemporalLogs, startPreviewWorker, type RunningWorker } from '../../support';

// "One spelling of a repository" (issue 14): GitHub treats owner/repo case-insensitively, and
// so does the workflow id, but the PreviewRepository search attribute kept whatever spelling
// the configuration had when the run started. Here the operator spelled the repository
// `Acme/…` when PR 1 opened and `acme/…` (config edited) when PR 2 opened; previewctl, run
// with only the Temporal address (no repository list to translate from), must find both
// previews under any spelling.

const lower = `acme/spelling-${Math.random().toString(36).slice(2, 8)}`;
const mixed = lower.replace(/^acme\/spelling/, 'Acme/Spelling');

let w: RunningWorker;
let native: NativeConnection;
const apps: FastifyInstance[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  quietTemporalLogs();
  const { temporal } = harnessState();
  native = await NativeConnection.connect({ address: temporal.address });
  w = await startPreviewWorker({ connection: native, namespace: temporal.namespace, taskQueue: uniqueId('spelling'), workflowBundle: await bundlePreviewWorkflows() });
  for (const spelling of [mixed, lower]) {
    const { client, connection } = await devServerClient();
    closers.push(() => connection.close());
    const config = testConfig({ temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue: w.taskQueue }, repositories: [repositoryEntry(spelling, 'spell')] });
    apps.push(await buildIngress({ config, client, logger: createLogger({ level: 'silent' }) }));
  }
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await w?.stop();
  for (const close of closers) await close();
  await native?.close();
});

async function previewctlList(repo: string): Promise<{ code: number; rows: { workflowId: string }[]; err: string }> {
  const { temporal } = harnessState();
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
  const code = await runCli(['list', '--repo', repo, '--json'], { io, env: { PREVIEWD_TEMPORAL_ADDRESS: temporal.address, PREVIEWD_TEMPORAL_NAMESPACE: temporal.namespace } });
  return { code, rows: code === 0 ? (JSON.parse(out.join('\n')) as { workflowId: string }[]) : [], err: err.join('\n') };
}

test('previewctl list --repo finds the previews of one repository under any spelling', async () => {
  const [first, second] = apps as [FastifyInstance, FastifyInstance];
  expect((await deliver(first, 'pull_request', pullRequestEvent('opened', { repository: lower, number: 1 }, { labels: ['preview'] }))).statusCode).toBe(202);
  expect((await deliver(second, 'pull_request', pullRequestEvent('opened', { repository: lower, number: 2 }, { labels: ['preview'] }))).statusCode).toBe(202);
  const ids = [`preview:${lower}#1`, `preview:${lower}#2`];

  for (const spelling of [lower, mixed, lower.toUpperCase()]) {
    // Visibility is eventually consistent: a listing that never shows both fails with what it last saw.
    let last: string[] = [];
    await eventually(async () => {
      const listed = await previewctlList(spelling);
      last = listed.rows.map((r) => r.workflowId).sort();
      return last.length === 2 ? last : undefined;
    }, `both previews listed by --repo ${spelling}`, 5_000).catch(() => undefined);
    expect({ repo: spelling, listed: last }).toEqual({ repo: spelling, listed: ids });
  }
});
