import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';
import { runCli, type CliIo } from '../../../src/cli';
import { buildIngress } from '../../../src/ingress';
import { createWorker, type PreviewdWorker } from '../../../src/worker';
import { PreviewActivityDoubles } from '../../doubles';
import { harnessState, uniqueId } from '../../harness';
import { pullRequestEvent } from '../ingress/github-examples';
import { deliver, eventually, expectNoWorkflow, memoryLogger, nextTarget, repositoryEntry, SECRET, testConfig, testRepository, workflowIdOf } from '../ingress/support';
import { type PreviewOutcome, type PreviewStatus, statusQuery } from '../../../workflows/contract';
import { guardedInterceptors } from '../../../src/temporal-client';

// previewctl against the real dev server: previews are created through the real ingress
// (signed published examples), run by the real workflow with activity doubles, and every
// command is run in-process (plus once as the bin, in a child process).

const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'previewctl-'));
const repository = testRepository('cli');
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

let env: Record<string, string>;
let connection: Connection;
let nativeConnection: NativeConnection;
let client: Client;
let worker: PreviewdWorker;
let app: FastifyInstance;
let webhookUrl: string;
let shippedBundle: string;

/** The build's bundling step (scripts/bundle-workflows.mjs, part of `npm run build`) over a workflows module. */
function bundleOf(workflowsPath: string, out = join(dir, `bundle-${uniqueId('replay')}.js`)): string {
  execFileSync(process.execPath, [resolve(__dirname, '../../../scripts/bundle-workflows.mjs'), out, workflowsPath], { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

beforeAll(async () => {
  const { temporal } = harnessState();
  const taskQueue = uniqueId('cli');
  const configFile = join(dir, 'previewd.yaml');
  // The CLI reads the same config file as the ingress; the environment adds the server.
  writeFileSync(configFile, stringify({ github: { webhookSecrets: [SECRET] }, repositories: [repositoryEntry(repository, 'cli')] }));
  env = { PREVIEWD_CONFIG: configFile, PREVIEWD_TEMPORAL_ADDRESS: temporal.address, PREVIEWD_TEMPORAL_NAMESPACE: temporal.namespace, PREVIEWD_TEMPORAL_TASK_QUEUE: taskQueue };
  // The worker runs the prebuilt bundle file as production does (worker.workflowBundle, loaded as
  // `workflowBundle: { codePath }`), so `replay --query` below checks live runs of the shipped
  // bundle against the local sources.
  shippedBundle = bundleOf(require.resolve('../../../workflows'), join(dir, 'workflow-bundle.js'));
  const config = testConfig({ temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue }, repositories: [repositoryEntry(repository, 'cli')], worker: { workflowBundle: shippedBundle } });
  nativeConnection = await NativeConnection.connect({ address: temporal.address });
  worker = await createWorker({ config, connection: nativeConnection, activities: new PreviewActivityDoubles().activities() });
  connection = await Connection.connect({ address: temporal.address, interceptors: guardedInterceptors() });
  client = new Client({ connection, namespace: temporal.namespace });
  app = await buildIngress({ config, client, logger: memoryLogger().logger });
  webhookUrl = `${await app.listen({ host: '127.0.0.1', port: 0 })}/webhooks/github`;
});

afterAll(async () => {
  await app?.close();
  await worker?.stop();
  await nativeConnection?.close();
  await connection?.close();
});

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function previewctl(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
  const code = await runCli(argv, { io, env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function readyPreview(): Promise<{ target: { repository: string; number: number }; status: PreviewStatus }> {
  const target = nextTarget(repository);
  expect((await deliver(app, 'pull_request', pullRequestEvent('opened', target, { labels: ['preview'] }))).statusCode).toBe(202);
  const handle = client.workflow.getHandle(workflowIdOf(target));
  const status = await eventually(async () => {
    const s = await handle.query(statusQuery);
    return s.phase === 'Ready' ? s : undefined;
  }, 'Ready');
  return { target, status };
}

describe('list', () => {
  test('by repository and phase, from visibility', async () => {
    const a = await readyPreview();
    const b = await readyPreview();
    const ids = [workflowIdOf(a.target), workflowIdOf(b.target)];
    // Visibility is eventually consistent: poll until both runs are listed as Ready.
    const listed = await eventually(async () => {
      const run = await previewctl('list', '--repo', repository.toUpperCase(), '--phase', 'ready', '--json');
      expect(run.code).toBe(0);
      const rows = JSON.parse(run.out) as { workflowId: string; phase: string; repository: string }[];
      return ids.every((id) => rows.some((r) => r.workflowId === id && r.phase === 'Ready')) ? rows : undefined;
    }, 'both previews listed as Ready');
    expect(listed.every((r) => r.repository === repository)).toBe(true);
    const table = await previewctl('list', '--repo', repository);
    expect(table.out).toContain(ids[0]);
    const none = await previewctl('list', '--repo', repository, '--phase', 'Degraded');
    expect(none).toMatchObject({ code: 0, out: expect.stringContaining('no previews match') });
  });

  test('an unknown phase is a usage error', async () => {
    expect(await previewctl('list', '--phase', 'Bogus')).toMatchObject({ code: 2, err: expect.stringContaining('unknown phase') });
  });
});

describe('status', () => {
  test('prints the status query, or JSON', async () => {
    const { target } = await readyPreview();
    const human = await previewctl('status', target.repository, String(target.number));
    expect(human.code).toBe(0);
    expect(human.out).toContain(`${repository}#${target.number}  Ready`);
    expect(human.out).toContain(`pr-cli-${target.number}`);
    expect(human.out).toMatch(/https:\/\/web-pr-\d+\./);
    const json = JSON.parse((await previewctl('status', target.repository, String(target.number), '--json')).out) as PreviewStatus;
    expect(json).toMatchObject({ phase: 'Ready', prNumber: target.number, namespace: `pr-cli-${target.number}` });
  });

  test('a PR without a preview exits 1 and says so', async () => {
    expect(await previewctl('status', repository, '999999')).toMatchObject({ code: 1, err: expect.stringContaining(`no preview of ${repository}#999999`) });
  });
});

describe('extend', () => {
  test('prints the new expiry, 4 h later', async () => {
    const { target, status } = await readyPreview();
    const run = await previewctl('extend', target.repository, String(target.number), '4h');
    expect(run.code).toBe(0);
    const [, expiresAt, was] = /now expires at (\S+) \(was (\S+);/.exec(run.out) ?? [];
    expect(was).toBe(status.expiresAt);
    expect(Date.parse(expiresAt ?? '') - Date.parse(status.expiresAt)).toBe(4 * HOUR);
  });

  test.each([
    ['past the 7 d hard cap', '30d', /hard cap|cap/i],
    ['not a duration', 'soon', /cannot read duration/],
    ['not positive', '0m', /positive|greater/i],
  ])('%s: exits 1 with the validator’s reason, expiry unchanged', async (_name, by, reason) => {
    const { target, status } = await readyPreview();
    const run = await previewctl('extend', target.repository, String(target.number), by);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/extend refused: /);
    expect(run.err).toMatch(reason);
    expect((await client.workflow.getHandle(workflowIdOf(target)).query(statusQuery)).expiresAt).toBe(status.expiresAt);
  });
});

test('destroy --wait tears the preview down and prints the outcome', async () => {
  const { target } = await readyPreview();
  const run = await previewctl('destroy', target.repository, String(target.number), '--wait', '--reason', 'cli test');
  expect(run.code).toBe(0);
  expect(run.out).toContain('Destroyed');
  const outcome = (await client.workflow.getHandle(workflowIdOf(target)).result()) as PreviewOutcome;
  expect(outcome).toMatchObject({ phase: 'Destroyed', reason: 'destroyed: cli test' });
  expect(await previewctl('destroy', repository, '999998')).toMatchObject({ code: 1, err: expect.stringContaining('no preview') });
});

describe('history export and replay', () => {
  test('an exported lifecycle history replays against the current workflow code', async () => {
    const { target } = await readyPreview();
    await previewctl('destroy', target.repository, String(target.number), '--wait');
    const file = join(dir, `history-${target.number}.json`);
    const exported = await previewctl('history', 'export', target.repository, String(target.number), '-o', file);
    expect(exported.code).toBe(0);
    const events = (JSON.parse(readFileSync(file, 'utf8')) as { events: unknown[] }).events;
    expect(events.length).toBeGreaterThan(10);
    // Together with the project's recorded histories, as a user's CI would run it.
    const recordedDir = resolve(__dirname, '../../histories');
    const recorded = existsSync(recordedDir) ? readdirSync(recordedDir).filter((f) => f.endsWith('.json')).map((f) => join(recordedDir, f)) : [];
    const replayed = await previewctl('replay', file, ...recorded);
    expect(replayed).toMatchObject({ code: 0, out: expect.stringContaining(`${recorded.length + 1} ok, 0 failed`) });
  });

  test('a history the changed code cannot reproduce exits 1 and explains the nondeterminism', async () => {
    // Record a run of the fixture's version 1, then replay it against its deliberately incompatible version 2.
    const { temporal } = harnessState();
    const fixture = (name: string) => resolve(__dirname, '../../fixtures/workflows', name);
    const taskQueue = uniqueId('cli-replay');
    const probeWorker = await Worker.create({ connection: nativeConnection, namespace: temporal.namespace, taskQueue, workflowsPath: fixture('replay-original.ts'), bundlerOptions: { logger: quiet } } as Parameters<typeof Worker.create>[0]);
    const handle = await probeWorker.runUntil(async () => {
      const started = await client.workflow.start('replayProbe', { taskQueue, workflowId: uniqueId('cli-replay-probe') });
      // Signal only after v1 recorded its timer: a signal in the first task lets v2 start a
      // timer first as well, and the two versions would then be indistinguishable on replay.
      await eventually(async () => ((await started.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes) ? true : undefined), 'the probe timer');
      await started.signal('proceed');
      await started.result();
      return started;
    });
    const file = join(dir, 'probe-history.json');
    writeFileSync(file, historyToJSON(await handle.fetchHistory()));
    expect(await previewctl('replay', file, '--workflows', fixture('replay-original.ts'))).toMatchObject({ code: 0 });
    const changed = await previewctl('replay', file, '--workflows', fixture('replay-changed.ts'));
    expect(changed.code).toBe(1);
    expect(changed.err).toContain('nondeterminism');
    expect(changed.err).toContain('patched()');
    expect(changed.err).toContain('probe-history.json');
  });

  test('a file that is not a history is a usage error', async () => {
    const file = join(dir, 'not-a-history.json');
    writeFileSync(file, '{"hello":"world"}');
    expect(await previewctl('replay', file)).toMatchObject({ code: 2, err: expect.stringContaining('not a Temporal history export') });
  });
});

describe('replay --query: live runs', () => {
  // The runs this file started are real lifecycle runs on the dev server (open and closed);
  // replaying them needs nothing but the server and the code.
  const byRepository = `PreviewRepository = '${repository}'`;
  let open: string;
  let closed: string;

  async function runIdOf(workflowId: string): Promise<string> {
    return (await client.workflow.getHandle(workflowId).describe()).runId;
  }

  beforeAll(async () => {
    open = workflowIdOf((await readyPreview()).target);
    const done = (await readyPreview()).target;
    await previewctl('destroy', done.repository, String(done.number), '--wait');
    closed = workflowIdOf(done);
    // Visibility is eventually consistent: wait until both runs are listed, the closed one as closed.
    await eventually(async () => {
      const rows = JSON.parse((await previewctl('list', '--repo', repository, '--all', '--json')).out) as { workflowId: string; status: string }[];
      return rows.some((r) => r.workflowId === open) && rows.some((r) => r.workflowId === closed && r.status === 'COMPLETED') ? true : undefined;
    }, 'both runs in visibility');
  });

  test('every matching run, open or closed, replays against the local code: a line each, exit 0', async () => {
    const run = await previewctl('replay', '--query', byRepository);
    expect(run).toMatchObject({ code: 0, err: '' });
    const lines = run.out.split('\n');
    expect(lines).toContain(`${open}\t${await runIdOf(open)}\tok`);
    expect(lines).toContain(`${closed}\t${await runIdOf(closed)}\tok`);
    const [, replayed, ok] = /^(\d+) runs of \(WorkflowType = 'previewLifecycle' AND \(PreviewRepository = '[^']+'\)\) replayed against .*workflows.*: (\d+) ok, 0 failed$/m.exec(run.out) ?? [];
    expect(Number(replayed)).toBeGreaterThanOrEqual(2);
    expect(ok).toBe(replayed);
    expect(lines.filter((l) => l.endsWith('\tok'))).toHaveLength(Number(replayed));
  });

  test('against the prebuilt bundle the worker runs (--bundle): ok, exit 0', async () => {
    const run = await previewctl('replay', '--query', `WorkflowId IN ('${open}', '${closed}')`, '--bundle', shippedBundle);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toContain(`${open}\t${await runIdOf(open)}\tok`);
    expect(run.out).toContain(`2 runs of (WorkflowType = 'previewLifecycle' AND (WorkflowId IN ('${open}', '${closed}'))) replayed against the bundle ${shippedBundle}: 2 ok, 0 failed`);
  });

  test('against a bundle of an incompatibly changed workflow: diverged with the first mismatch, exit 1', async () => {
    // The replay suite's fixture: the current lifecycle with a timer before anything else.
    const changed = bundleOf(resolve(__dirname, '../../replay/fixtures/changed-lifecycle.ts'));
    const run = await previewctl('replay', '--query', `WorkflowId IN ('${open}', '${closed}')`, '--bundle', changed);
    expect(run.code).toBe(1);
    for (const id of [open, closed]) {
      expect(run.out).toMatch(new RegExp(`^${id}\\t${await runIdOf(id)}\\tdiverged\\tnondeterminism( at event \\d+)?: .+$`, 'm'));
    }
    expect(run.out).toContain(`2 runs of (WorkflowType = 'previewLifecycle' AND (WorkflowId IN ('${open}', '${closed}'))) replayed against the bundle ${changed}: 0 ok, 2 failed`);
    expect(run.err).toContain('2 of 2 runs');
    expect(run.err).toContain('patched()');

    // --limit bounds the runs replayed and says that more match.
    const limited = await previewctl('replay', '--query', byRepository, '--limit', '1', '--bundle', changed);
    expect(limited.code).toBe(1);
    expect(limited.out.split('\n').filter((l) => l.includes('\tdiverged\t'))).toHaveLength(1);
    expect(limited.out).toContain('stopped at --limit 1: more runs match');
  });

  test('a query that matches nothing replays nothing, exit 0', async () => {
    const run = await previewctl('replay', '--query', `WorkflowId = '${uniqueId('no-such-run')}'`);
    expect(run).toMatchObject({ code: 0, out: expect.stringContaining('no runs match') });
  });

  test.each([
    ['an invalid query', ['--query', "PreviewRepository = 'unterminated"], /invalid visibility query \(.*\): .+/],
    ['an unknown search attribute', ['--query', "NoSuchAttribute = 'x'"], /invalid visibility query \(.*\): .+/],
    ['files and --query together', ['some.json', '--query', ''], /history files or --query, not both/],
    ['--limit out of range', ['--query', '', '--limit', '0'], /--limit must be a whole number from 1 to 10000/],
    ['a bundle that does not exist', ['--query', '', '--bundle', '/nonexistent/bundle.js'], /no workflow bundle at \/nonexistent\/bundle\.js/],
  ])('%s is a usage error: exit 2, one clear line', async (_name, args, message) => {
    const run = await previewctl('replay', ...args);
    expect(run).toMatchObject({ code: 2, out: '' });
    expect(run.err).toMatch(message);
    expect(run.err).not.toMatch(/\n\s+at /);
  });
});

describe('simulate', () => {
  test('sends a signed published example that the ingress accepts and the workflow runs', async () => {
    const target = nextTarget(repository);
    const run = await previewctl('simulate', '--repo', target.repository, '--pr', String(target.number), '--url', webhookUrl);
    expect(run).toMatchObject({ code: 0, out: expect.stringContaining('→ 202') });
    await eventually(async () => ((await client.workflow.getHandle(workflowIdOf(target)).query(statusQuery)).phase === 'Ready' ? true : undefined), 'Ready');
    const destroy = await previewctl('simulate', '--event', 'comment', '--body', '/preview destroy', '--repo', target.repository, '--pr', String(target.number), '--url', webhookUrl);
    expect(destroy.code).toBe(0);
    expect(((await client.workflow.getHandle(workflowIdOf(target)).result()) as PreviewOutcome).reason).toContain('/preview destroy by @');
  });

  test('a PR the trigger policy refuses starts nothing (the ingress answers 202 ignored)', async () => {
    const target = nextTarget(repository);
    const run = await previewctl('simulate', '--repo', target.repository, '--pr', String(target.number), '--label', 'bug', '--url', webhookUrl);
    expect(run.out).toContain('"result":"ignored"');
    await expectNoWorkflow(client, workflowIdOf(target));
  });
});

test('the bin runs as a process: exit codes and messages', () => {
  const bin = (...args: string[]) =>
    spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/cli/main.ts', ...args], { cwd: resolve(__dirname, '../../..'), env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  const help = bin('--help');
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('simulate');
  const missing = bin('status', repository, '999997');
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain('no preview of');
  const badQuery = bin('replay', '--query', "PreviewRepository = 'unterminated");
  expect(badQuery.status).toBe(2);
  expect(badQuery.stderr).toMatch(/^previewctl: invalid visibility query/);
  expect(badQuery.stderr).not.toMatch(/\n\s+at /);
});
