import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeApi, kubeConfigTransport } from '../../../activities/kubernetes';
import { cacheDir } from '../../../src/dev/server-binaries';
import { freePorts } from '../../../src/dev/free-ports';
import { previewWorkflowId } from '../../../src/lifecycle';
import { harnessState, testKubeConfig } from '../../harness';
import { statusQuery } from '../../../workflows/contract';
import { guardedInterceptors } from '../../../src/temporal-client';

// `npm run dev` as a user runs it: one process that starts a Temporal dev server with its UI,
// the worker and the ingress, prints where they are and a simulate command that works as
// printed, and stops everything on Ctrl-C. Kubernetes is either the test control plane, reached
// through KUBECONFIG like any cluster, or (no kubeconfig at all, as on a fresh machine) the
// embedded cluster dev mode starts itself, with real Argo CD.

const root = resolve(__dirname, '../../..');
const devMain = ['-r', '@swc-node/register', 'src/dev/main.ts'];

interface DevProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function startDev(env: Record<string, string>): DevProcess {
  const child = spawn(process.execPath, devMain, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => text, exited };
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs: number, dev?: DevProcess): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve(probe()).catch(() => undefined);
    if (value !== undefined) return value;
    if (dev && dev.child.exitCode !== null) throw new Error(`dev mode exited (${dev.child.exitCode}) while waiting for ${what}:\n${dev.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${dev ? `:\n${dev.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The exit code, or 'still running' after `ms` (the timer is cleared either way). */
async function exitWithin(dev: DevProcess, ms: number): Promise<number | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([dev.exited, new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** True once nothing accepts connections on the port, polled until `ms` have passed. */
async function closedWithin(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (await listening(port)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
  return true;
}

function listening(port: number): Promise<boolean> {
  return new Promise((r) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      r(true);
    });
    socket.once('error', () => r(false));
  });
}

const line = (text: string, label: string): string => {
  const match = new RegExp(`${label}\\s+(\\S+)`).exec(text);
  if (!match?.[1]) throw new Error(`no "${label}" in:\n${text}`);
  return match[1];
};

let dev: DevProcess | undefined;

afterEach(async () => {
  // A failed test must not leave dev mode (and its Temporal server) running.
  if (dev && dev.child.exitCode === null) {
    dev.child.kill('SIGINT');
    await dev.exited;
  }
  dev = undefined;
});

test('starts Temporal (UI, persisted), worker and ingress; the printed simulate command creates a preview; Ctrl-C stops everything', async () => {
  const { kube, temporalCli } = harnessState();
  const stateDir = mkdtempSync(join(tmpdir(), 'previewd-dev-'));
  const [temporalPort, uiPort, ingressPort] = (await freePorts(3)) as [number, number, number];
  dev = startDev({
    KUBECONFIG: kube.kubeconfig,
    PREVIEWD_TEMPORAL_CLI: temporalCli,
    PREVIEWD_DEV_STATE_DIR: stateDir,
    PREVIEWD_DEV_TEMPORAL_PORT: String(temporalPort),
    PREVIEWD_DEV_UI_PORT: String(uiPort),
    PREVIEWD_INGRESS_PORT: String(ingressPort),
    PREVIEWD_LOG_LEVEL: 'warn',
  });
  const running = dev;
  const banner = await until(() => (running.output().includes('Ctrl-C to stop') ? running.output() : undefined), 'the ready banner', 150_000, running);

  // What it prints: the UI, the webhook URL and a command to try.
  const uiUrl = line(banner, 'Temporal UI:');
  const webhookUrl = line(banner, 'Webhook URL:');
  expect(uiUrl).toBe(`http://127.0.0.1:${uiPort}`);
  expect(webhookUrl).toBe(`http://127.0.0.1:${ingressPort}/webhooks/github`);
  expect(banner).toContain(`context "${testKubeConfig().getCurrentContext()}"`);
  expect((await fetch(uiUrl)).status).toBe(200);
  expect((await fetch(new URL('/readyz', webhookUrl))).status).toBe(200);
  expect(statSync(join(stateDir, 'temporal.db')).size).toBeGreaterThan(0);

  // The printed command, run as printed (`npm run previewctl -- …` is this script).
  const tryIt = /Try it:\s+npm run previewctl -- (.+)/.exec(banner)?.[1];
  expect(tryIt).toBeDefined();
  const args = (tryIt ?? '').trim().split(/\s+/);
  const simulate = spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/cli/main.ts', ...args], { cwd: root, env: process.env, encoding: 'utf8', timeout: 60_000 });
  // One assertion, so a failure shows stderr too.
  expect({ status: simulate.status, stdout: simulate.stdout, stderr: simulate.stderr }).toMatchObject({ status: 0, stdout: expect.stringContaining('→ 202') });

  // The preview exists in the embedded Temporal and the worker works on it against the cluster.
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}`, interceptors: guardedInterceptors() });
  try {
    const client = new Client({ connection });
    const workflowId = previewWorkflowId({ repository: 'Codertocat/Hello-World', number: 1 });
    const status = await until(async () => {
      const s = await client.workflow.getHandle(workflowId).query(statusQuery);
      return s.namespace ? s : undefined;
    }, 'the preview namespace', 60_000, running);
    expect(status.namespace).toBe('pr-hello-1');
    const api = new KubeApi(kubeConfigTransport(testKubeConfig()));
    await until(async () => ((await api.get({ apiVersion: 'v1', kind: 'Namespace', name: 'pr-hello-1' })) ? true : undefined), 'namespace pr-hello-1 in the cluster', 30_000);
  } finally {
    await connection.close();
  }

  // Ctrl-C: everything stops, cleanly.
  running.child.kill('SIGINT');
  expect(await exitWithin(running, 60_000)).toBe(0);
  expect(running.output()).toContain('stopped');
  for (const port of [temporalPort, uiPort, ingressPort]) expect(await listening(port)).toBe(false);
  // A whole process that compiles its TypeScript at start: minutes on a loaded 2-core machine.
}, 300_000);

test('with no reachable cluster it fails fast, says what to point it at, and starts nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'previewd-dev-nocluster-'));
  const [deadPort, temporalPort] = (await freePorts(2)) as [number, number];
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'gone', cluster: { server: `https://127.0.0.1:${deadPort}` } }],
      users: [{ name: 'me', user: { token: 'x' } }],
      contexts: [{ name: 'kind-gone', context: { cluster: 'gone', user: 'me' } }],
      'current-context': 'kind-gone',
    }),
  );
  dev = startDev({ KUBECONFIG: kubeconfig, PREVIEWD_DEV_STATE_DIR: join(dir, 'state'), PREVIEWD_DEV_TEMPORAL_PORT: String(temporalPort), PREVIEWD_TEMPORAL_CLI: harnessState().temporalCli });
  const running = dev;
  // Fast means before anything starts, not within a wall-clock bound (compiling at start is slow under load).
  expect(await exitWithin(running, 120_000)).toBe(1);
  expect(running.output()).toContain(`no Kubernetes cluster reachable from context "kind-gone" (https://127.0.0.1:${deadPort})`);
  expect(running.output()).toContain('set KUBECONFIG');
  expect(running.output()).toContain('PREVIEWD_DEV_CLUSTER=embedded');
  expect(await listening(temporalPort)).toBe(false);
  expect(existsSync(join(dir, 'state', 'temporal.db'))).toBe(false);
});

/** Runs a command the banner printed (`npm run previewctl -- …` is src/cli/main.ts) as printed. */
function runPrinted(banner: string, label: string): { status: number | null; stdout: string; stderr: string } {
  const command = new RegExp(`${label}\\s+npm run previewctl -- (.+)`).exec(banner)?.[1];
  if (!command) throw new Error(`no "${label}" command in:\n${banner}`);
  return spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/cli/main.ts', ...command.trim().split(/\s+/)], { cwd: root, env: process.env, encoding: 'utf8', timeout: 60_000 });
}

test('with no kubeconfig at all it starts an embedded cluster with real Argo CD: the printed commands bring a preview to Ready and tear it down', async () => {
  const { temporalCli } = harnessState();
  const home = mkdtempSync(join(tmpdir(), 'previewd-dev-home-'));
  const stateDir = join(home, 'state');
  const [temporalPort, uiPort, ingressPort] = (await freePorts(3)) as [number, number, number];
  const started = Date.now();
  dev = startDev({
    // A fresh machine: no KUBECONFIG, no ~/.kube/config. The servers are the ones already provisioned.
    KUBECONFIG: '',
    HOME: home,
    PREVIEWD_CACHE: cacheDir(),
    PREVIEWD_TEMPORAL_CLI: temporalCli,
    PREVIEWD_DEV_STATE_DIR: stateDir,
    PREVIEWD_DEV_TEMPORAL_PORT: String(temporalPort),
    PREVIEWD_DEV_UI_PORT: String(uiPort),
    PREVIEWD_INGRESS_PORT: String(ingressPort),
    PREVIEWD_LOG_LEVEL: 'warn',
  });
  const running = dev;
  const banner = await until(() => (running.output().includes('Ctrl-C to stop') ? running.output() : undefined), 'the ready banner', 240_000, running);
  const upMs = Date.now() - started;
  expect(banner).toMatch(/Kubernetes: embedded cluster, kube-apiserver v[\d.]+ at https:\/\/127\.0\.0\.1:\d+, Argo CD v[\d.]+ in namespace argocd/);
  expect(banner).toContain('To use a real cluster instead, set KUBECONFIG');
  const kubeconfig = resolve(root, line(banner, 'kubeconfig').replace(/[.;]$/, ''));
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = new KubeApi(kubeConfigTransport(kc));

  const opened = runPrinted(banner, 'Try it:');
  expect({ status: opened.status, stdout: opened.stdout, stderr: opened.stderr }).toMatchObject({ status: 0, stdout: expect.stringContaining('→ 202') });
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}`, interceptors: guardedInterceptors() });
  try {
    const handle = new Client({ connection }).workflow.getHandle(previewWorkflowId({ repository: 'Codertocat/Hello-World', number: 1 }));
    const ready = await until(async () => {
      const s = await handle.query(statusQuery);
      if (s.phase === 'Failed' || s.phase === 'Degraded') throw new Error(`preview ${s.phase}: ${s.failureReason ?? ''}`);
      return s.phase === 'Ready' ? s : undefined;
    }, 'the preview Ready through real Argo CD', 120_000, running);
    const readyMs = Date.now() - started - upMs;
    expect(ready.namespace).toBe('pr-hello-1');
    // What Argo CD synced from the sample GitOps repository, with the PR's head as the image tag.
    const synced = await api.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'pr-hello-1', name: 'web' });
    expect(synced?.data).toEqual({ image: `registry.example.test/acme/web:${ready.deployedHeadSha ?? ''}` });

    const closing = Date.now();
    const closed = runPrinted(banner, 'Close it:');
    expect({ status: closed.status, stdout: closed.stdout, stderr: closed.stderr }).toMatchObject({ status: 0, stdout: expect.stringContaining('pull_request.closed') });
    // The run stays after the teardown (lifecycle.retainAfterTeardown) to answer redeliveries: Destroyed is the end here.
    const destroyed = await until(async () => {
      const s = await handle.query(statusQuery);
      return s.phase === 'Destroyed' ? s : undefined;
    }, 'the preview Destroyed', 120_000, running);
    expect(destroyed).toMatchObject({ phase: 'Destroyed', teardownReason: 'pull request closed' });
    expect(await api.get({ apiVersion: 'v1', kind: 'Namespace', name: 'pr-hello-1' })).toBeUndefined();
    expect(await api.list('argoproj.io/v1alpha1', 'Application', { namespace: 'argocd' })).toEqual([]);
    process.stdout.write(`dev mode, embedded: up in ${upMs} ms, preview Ready in ${readyMs} ms, closed to namespace gone in ${Date.now() - closing} ms\n`);
  } finally {
    await connection.close();
  }

  running.child.kill('SIGINT');
  expect(await exitWithin(running, 60_000)).toBe(0);
  for (const port of [temporalPort, uiPort, ingressPort]) expect(await listening(port)).toBe(false);
  // The embedded API server is gone with it. Its listener can outlive the watchdog that waited
  // for it by a moment (seen once on Node 24 in CI, load ≈ 2): allowed a few seconds, no more.
  expect(await closedWithin(Number(new URL(kc.getCurrentCluster()?.server ?? '').port), 10_000)).toBe(true);
}, 480_000);
