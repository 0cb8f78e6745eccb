import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { msToTs } from '@temporalio/common/lib/time';
import { bundleWorkflowCode, NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';
import { ENV_BINDINGS, parseConfig, type PreviewdConfig } from '../../../src/config';
import { freePorts } from '../../../src/dev/free-ports';
import { startProcess, type ManagedProcess } from '../../../src/dev/managed-process';
import { startTemporalDevServer, type TemporalDevServer } from '../../../src/dev/temporal-dev-server';
import { buildIngress } from '../../../src/ingress';
import { createLogger, createWorkerMetrics, installTemporalLogging, WORKFLOW_TASK_FAILURES_METRIC, type WorkerMetrics } from '../../../src/observability';
import { buildWorkerHttp, cliTypeName, createCommand, createWorker, ensureNamespaceSearchAttributes, type PreviewdWorker } from '../../../src/worker';
import { PREVIEW_SEARCH_ATTRIBUTES, PreviewHeadSha, PreviewPhase, statusQuery, type PreviewStatus } from '../../../workflows/contract';
import { PreviewActivityDoubles } from '../../doubles';
import { documentedCommands, harnessState, SEARCH_ATTRIBUTE_MARKER, uniqueId } from '../../harness';
import { pullRequestEvent, type PrTarget } from '../ingress/github-examples';
import { deliver, eventually, nextTarget, repositoryEntry, testConfig, testRepository, workflowIdOf } from '../ingress/support';
import { testClusterInput } from '../kubernetes/support';

// Issue 20, as a new user meets it: a Temporal server whose namespace has none of previewd's
// search attributes (a dev server of its own, started without `--search-attribute`). The worker
// process refuses to start and prints the commands; the README's commands, run exactly as
// written, register all five; the worker process then starts, and a preview reaches Ready. A
// worker whose start check was skipped (Temporal Cloud) on a namespace that lacks one shows it:
// the failure counter rises and /readyz turns degraded, until the attribute exists.

const ROOT = resolve(__dirname, '../../..');
const NAMESPACE = 'previews'; // the namespace the README's commands name
const README = documentedCommands('README.md', SEARCH_ATTRIBUTE_MARKER);
const CREATES = README.filter((c) => c.includes(' create '));

const logger = createLogger({ level: 'warn', name: 'previewd-worker', destination: { write: () => undefined } });
const doubles = new PreviewActivityDoubles();
const repository = testRepository('attrs');

let dir: string;
let server: TemporalDevServer;
let connection: Connection;
let native: NativeConnection;
let workflowBundle: WorkflowBundle;
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  // First, before anything creates Temporal's runtime in this process: the failure count reads its log forwarding.
  installTemporalLogging(logger);
  dir = mkdtempSync(join(tmpdir(), 'previewd-search-attributes-'));
  server = await startTemporalDevServer({ cliPath: harnessState().temporalCli, logDir: join(dir, 'logs'), namespace: NAMESPACE, ui: false, searchAttributes: false });
  connection = await Connection.connect({ address: server.address });
  native = await NativeConnection.connect({ address: server.address });
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../../workflows'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } });
  process.stdout.write(`search attributes: bare dev server ${server.address}, files in ${dir}\n`);
}, 180_000);

afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  await native?.close();
  await connection?.close();
  await server?.process.stop();
});

/** name → the server's IndexedValueType, as `listSearchAttributes` reports the namespace's own. */
async function customAttributes(namespace: string): Promise<Record<string, number>> {
  return (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
}

/** One documented line, run as written; only the server's address comes from the environment, as the README says. */
function runDocumented(command: string): { status: number | null; stdout: string; stderr: string } {
  const [program, ...args] = command.split(/\s+/);
  expect(program).toBe('temporal');
  return spawnSync(harnessState().temporalCli, args, { env: { ...process.env, TEMPORAL_ADDRESS: server.address }, encoding: 'utf8', timeout: 60_000 });
}

interface RunningProcess {
  readonly proc: ManagedProcess;
  readonly exited: Promise<number | null>;
  readonly readyzStatuses: number[];
  readonly url: string;
  readonly log: () => string;
}

/** src/worker/main.ts as the image runs it, configured by a file only (previewd's variables blanked). */
async function startWorkerProcess(name: string, taskQueue: string): Promise<RunningProcess> {
  const [port] = (await freePorts(1)) as [number];
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      temporal: { address: server.address, namespace: NAMESPACE, taskQueue },
      kubernetes: { kubeconfig: harnessState().kube.kubeconfig },
      cluster: testClusterInput(),
      worker: { host: '127.0.0.1', port, coreMetricsPort: 0, clusterWatch: false },
      janitor: { enabled: false },
      log: { level: 'info' },
    }),
  );
  const blank = Object.fromEntries([...ENV_BINDINGS.map((b) => b.name), 'PREVIEWD_GITHUB_TOKEN', 'PREVIEWD_GITHUB_WEBHOOK_SECRET'].map((n) => [n, '']));
  const proc = startProcess(name, process.execPath, ['-r', '@swc-node/register', 'src/worker/main.ts'], { logDir: join(dir, 'logs'), cwd: ROOT, env: { ...blank, PREVIEWD_CONFIG: file } });
  stops.push(() => proc.stop());
  const exited = new Promise<number | null>((r) => proc.child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  const readyzStatuses: number[] = [];
  // Every answer /readyz gives while the process lives: it must never have said ready before it polls.
  void (async () => {
    while (proc.child.exitCode === null && proc.child.signalCode === null) {
      const status = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0);
      if (status !== 0) readyzStatuses.push(status);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return { proc, exited, readyzStatuses, url, log: () => readFileSync(proc.logFile, 'utf8') };
}

async function status(client: Client, target: PrTarget, accept: (s: PreviewStatus) => boolean, what: string, timeoutMs = 120_000): Promise<PreviewStatus> {
  return eventually(async () => {
    const s = await client.workflow.getHandle(workflowIdOf(target)).query(statusQuery);
    return accept(s) ? s : undefined;
  }, what, timeoutMs);
}

/** An in-process worker (activity doubles) and the ingress, on `namespace`. */
async function previewStack(namespace: string, metrics: WorkerMetrics): Promise<{ config: PreviewdConfig; client: Client; ingress: FastifyInstance; worker: PreviewdWorker; http: FastifyInstance }> {
  const config = testConfig({ temporal: { address: server.address, namespace, taskQueue: uniqueId('attrs') }, repositories: [repositoryEntry(repository, 'attrs', { mode: 'always' })] });
  const client = new Client({ connection, namespace });
  const ingress = await buildIngress({ config, client, logger });
  stops.push(() => ingress.close());
  const worker = await createWorker({ config, connection: native, workflowBundle, activities: doubles.activities(), metrics });
  stops.push(() => worker.stop());
  const http = buildWorkerHttp({ state: () => worker.worker.getState(), temporalReachable: () => worker.temporalReachable(), registry: metrics.registry, taskTrouble: () => metrics.taskFailures.trouble() });
  return { config, client, ingress, worker, http };
}

describe('a namespace without previewd search attributes', () => {
  it('the worker process refuses to start: exit 1, never ready, each missing attribute named with its create command', async () => {
    const started = Date.now();
    const worker = await startWorkerProcess('worker-refused', uniqueId('refused'));
    expect(await worker.exited).toBe(1);
    const log = worker.log();
    expect(log).toContain(`Temporal namespace "${NAMESPACE}" lacks previewd's search attributes`);
    for (const key of PREVIEW_SEARCH_ATTRIBUTES) expect(log).toContain(`${key.name} (${cliTypeName(key.type)}) is missing:\n    ${createCommand(NAMESPACE, key.name, cliTypeName(key.type))}`);
    // The commands it prints are the README's.
    for (const command of CREATES) expect(log).toContain(command);
    expect(worker.readyzStatuses.filter((s) => s !== 503)).toEqual([]);
    // It never polled: nothing was started on the namespace, and nothing registered.
    expect(Object.keys(await customAttributes(NAMESPACE))).toEqual([]);
    process.stdout.write(`search attributes: refusal after ${Date.now() - started} ms (readyz answered 503 ${worker.readyzStatuses.length} times)\n`);
  }, 180_000);

  it('the ingress does not check: a start carrying PreviewRepository is refused by Temporal and the delivery is not accepted', async () => {
    const config = testConfig({ temporal: { address: server.address, namespace: NAMESPACE, taskQueue: uniqueId('attrs-ingress') }, repositories: [repositoryEntry(repository, 'attrs', { mode: 'always' })] });
    const ingress = await buildIngress({ config, client: new Client({ connection, namespace: NAMESPACE }), logger });
    try {
      const target = nextTarget(repository);
      const res = await deliver(ingress, 'pull_request', pullRequestEvent('opened', target, { headSha: 'a'.repeat(40) }));
      // Not 2xx: GitHub marks the delivery failed, and it can be redelivered once the attributes exist.
      expect(res.statusCode).toBe(500);
      await expect(new Client({ connection, namespace: NAMESPACE }).workflow.getHandle(workflowIdOf(target)).describe()).rejects.toThrow(/not found/i);
    } finally {
      await ingress.close();
    }
  });
});

describe("the README's commands, run as written", () => {
  it('register all five with their types (one --name/--type pair per command)', () => {
    for (const command of README) {
      const run = runDocumented(command);
      expect({ command, status: run.status, stderr: run.stderr }).toEqual({ command, status: 0, stderr: '' });
      if (command.includes(' list ')) {
        for (const key of PREVIEW_SEARCH_ATTRIBUTES) expect(run.stdout).toMatch(new RegExp(`^\\s*${key.name}\\s+${cliTypeName(key.type)}\\s*$`, 'm'));
      }
    }
  });

  it('leave the namespace with exactly what the workflows upsert', async () => {
    const custom = await customAttributes(NAMESPACE);
    expect(custom).toEqual(Object.fromEntries(PREVIEW_SEARCH_ATTRIBUTES.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)])));
  });

  it('then the worker process starts and turns ready', async () => {
    const started = Date.now();
    const worker = await startWorkerProcess('worker-started', uniqueId('started'));
    await eventually(() => {
      if (worker.proc.child.exitCode !== null) throw new Error(`the worker exited (${worker.proc.child.exitCode}):\n${worker.log()}`);
      return Promise.resolve(worker.readyzStatuses.at(-1) === 200 ? true : undefined);
    }, 'the worker process ready', 240_000);
    const readyMs = Date.now() - started;
    expect(worker.log()).not.toContain('lacks previewd');
    expect(worker.log()).toContain('"msg":"worker started"');
    await worker.proc.stop();
    process.stdout.write(`search attributes: worker process ready after ${readyMs} ms (compiles and bundles at start)\n`);
  }, 300_000);

  it('and a preview reaches Ready, with its search attributes set', async () => {
    const { client, ingress } = await previewStack(NAMESPACE, createWorkerMetrics({ defaultMetrics: false }));
    const target = nextTarget(repository);
    const headSha = 'b'.repeat(40);
    const res = await deliver(ingress, 'pull_request', pullRequestEvent('opened', target, { headSha }));
    expect(res.json()).toMatchObject({ result: 'accepted' });
    await status(client, target, (s) => s.phase === 'Ready', 'the preview Ready');
    const attributes = await eventually(async () => {
      const described = await client.workflow.getHandle(workflowIdOf(target)).describe();
      return described.typedSearchAttributes.get(PreviewPhase) === 'Ready' ? described.typedSearchAttributes : undefined;
    }, 'PreviewPhase = Ready in visibility');
    expect(attributes.get(PreviewHeadSha)).toBe(headSha);
  }, 180_000);
});

/** A namespace of its own on the bare server, usable once every service of the server knows it (seconds). */
async function registerNamespace(namespace: string): Promise<void> {
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  await eventually(async () => ((await connection.operatorService.listSearchAttributes({ namespace })) ? true : undefined), `namespace ${namespace} known`, 60_000);
}

describe('temporal.registerSearchAttributes: true', () => {
  it('makes the start check register the missing attributes on a self-hosted server', async () => {
    const namespace = 'selfregistered';
    await registerNamespace(namespace);
    const config = parseConfig({ temporal: { address: server.address, namespace, registerSearchAttributes: true } });
    const check = await ensureNamespaceSearchAttributes(config, logger);
    expect(check).toEqual({ outcome: 'registered', names: PREVIEW_SEARCH_ATTRIBUTES.map((k) => k.name) });
    expect(await customAttributes(namespace)).toEqual(Object.fromEntries(PREVIEW_SEARCH_ATTRIBUTES.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)])));
    // A second start finds them.
    await expect(ensureNamespaceSearchAttributes(config, logger)).resolves.toEqual({ outcome: 'present' });
  }, 90_000);
});

describe('a worker on a namespace that lacks one attribute (start check skipped, as on Temporal Cloud)', () => {
  const PARTIAL = 'partial';

  beforeAll(async () => {
    await registerNamespace(PARTIAL);
    const others = PREVIEW_SEARCH_ATTRIBUTES.filter((key) => key.name !== PreviewHeadSha.name);
    // A new namespace reaches every service of the server within seconds.
    await eventually(async () => {
      await connection.operatorService.addSearchAttributes({ namespace: PARTIAL, searchAttributes: Object.fromEntries(others.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type) as number])) });
      return Object.keys(await customAttributes(PARTIAL)).length === others.length ? true : undefined;
    }, 'four attributes on the new namespace', 60_000);
  }, 90_000);

  it('counts the rejected workflow tasks and turns /readyz degraded; registering the attribute lets the preview reach Ready and readiness recover', async () => {
    const windowMs = 45_000;
    const metrics = createWorkerMetrics({ defaultMetrics: false, taskFailureWindowMs: windowMs });
    const { client, ingress, http } = await previewStack(PARTIAL, metrics);
    const target = nextTarget(repository);
    const started = Date.now();
    // The ingress sets only PreviewRepository and PreviewPullRequest, which exist: it accepts.
    expect((await deliver(ingress, 'pull_request', pullRequestEvent('opened', target, { headSha: 'c'.repeat(40) }))).json()).toMatchObject({ result: 'accepted' });

    const degraded = await eventually(async () => {
      const res = await http.inject({ url: '/readyz' });
      return res.statusCode === 503 ? res.json<Record<string, unknown>>() : undefined;
    }, '/readyz degraded', 120_000);
    const degradedMs = Date.now() - started;
    expect(degraded).toMatchObject({ status: 'degraded', worker: 'RUNNING', workflowTaskFailures: { reason: 'BadSearchAttributes', lastDetail: `Namespace ${PARTIAL} has no mapping defined for search attribute ${PreviewHeadSha.name}` } });
    expect(degraded.reason).toMatch(/^workflow tasks keep failing: BadSearchAttributes \(\d+ in the last 45 s\)/);
    expect((await http.inject({ url: '/healthz' })).statusCode).toBe(200);
    const counted = /previewd_workflow_task_failures_total\{reason="BadSearchAttributes"\} (\d+)/.exec(await metrics.registry.getSingleMetricAsString(WORKFLOW_TASK_FAILURES_METRIC));
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(3);

    // The fix the README gives for this symptom.
    const fix = spawnSync(harnessState().temporalCli, createCommand(PARTIAL, PreviewHeadSha.name, 'Keyword').split(/\s+/).slice(1), { env: { ...process.env, TEMPORAL_ADDRESS: server.address }, encoding: 'utf8', timeout: 60_000 });
    expect(fix.status).toBe(0);
    const fixedAt = Date.now();
    // The server retries the failed task with a growing backoff; the preview continues on the next attempt.
    await status(client, target, (s) => s.phase === 'Ready', 'the preview Ready after the fix', 240_000);
    const readyAfterFixMs = Date.now() - fixedAt;
    await eventually(async () => ((await http.inject({ url: '/readyz' })).statusCode === 200 ? true : undefined), '/readyz ready again', windowMs + 60_000);
    process.stdout.write(
      `search attributes: degraded ${degradedMs} ms after the delivery (${counted?.[1]} rejections), Ready ${readyAfterFixMs} ms after the fix, ready again ${Date.now() - fixedAt} ms after the fix\n`,
    );
  }, 480_000);
});
