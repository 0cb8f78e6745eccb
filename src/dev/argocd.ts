import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { freePorts } from './free-ports';
import { SampleRepo } from './gitops-repo';
import type { KubeHttp } from './kube-http';
import { startProcess, waitFor, type ManagedProcess } from './managed-process';
import type { ArgoCdBinaries } from './server-binaries';

const run = promisify(execFile);

/** Argo CD's home namespace in the embedded cluster: previewd's default `cluster.argocd.namespace`. */
export const ARGOCD_NAMESPACE = 'argocd';
/** What `https://kubernetes.default.svc` means to Argo CD here: the harness's API server (ARGOCD_FAKE_IN_CLUSTER). */
export const IN_CLUSTER = 'https://kubernetes.default.svc';
const CHART_DIR = resolve(__dirname, '../../charts/previewd');
const PART_OF = { 'app.kubernetes.io/part-of': 'argocd' };
const FIELD_MANAGER = 'previewd-harness';

/**
 * Timings for tests rather than production: the controller refreshes every Application every
 * few seconds (production: 120 s) and the repo-server re-resolves branch heads after a few
 * seconds (production: 3 min), so a commit to the sample repository is seen quickly without a
 * hard refresh. Everything else (sync waves, retries, self-heal) keeps Argo CD's defaults.
 */
export const ARGOCD_TEST_TIMINGS = { appResyncSeconds: 5, revisionCacheSeconds: 5, selfHealBackoffSeconds: 1 } as const;

export interface ArgoCdFacts {
  readonly version: string;
  readonly namespace: string;
  /** The previews AppProject, rendered from charts/previewd with the sample repository as its only source. */
  readonly project: string;
  readonly destinationServer: string;
  /** file:// URL of the sample GitOps repository, and its working directory (tests commit there). */
  readonly repoURL: string;
  readonly repoDir: string;
  readonly redis: string;
  readonly repoServer: string;
  /** Prometheus metrics (and /healthz) of the application controller. */
  readonly controllerMetrics: string;
}

export interface ArgoCd {
  readonly facts: ArgoCdFacts;
  readonly processes: readonly ManagedProcess[];
  /** From the first process start until the controller answered /healthz. */
  readonly readyInMs: number;
}

export interface ArgoCdStartOptions {
  readonly workDir: string;
  readonly logDir: string;
  readonly kubeconfig: string;
  readonly http: KubeHttp;
  readonly helm: string;
}

/** Starts Redis, the repo-server and the application controller against the harness's API server. */
export async function startArgoCd(bin: ArgoCdBinaries, opts: ArgoCdStartOptions): Promise<ArgoCd> {
  const home = join(opts.workDir, 'argocd');
  const repo = await SampleRepo.create(join(home, 'gitops'));
  const project = await installClusterObjects(opts, repo.url);
  const [redisPort, repoPort, repoMetricsPort, controllerMetricsPort] = (await freePorts(4)) as [number, number, number, number];
  const processes: ManagedProcess[] = [];
  const started = Date.now();
  try {
    processes.push(await startRedis(bin, home, opts.logDir, redisPort));
    const redis = `127.0.0.1:${redisPort}`;
    processes.push(await startRepoServer(bin, { home, logDir: opts.logDir, helm: opts.helm, redis, port: repoPort, metricsPort: repoMetricsPort }));
    const repoServer = `127.0.0.1:${repoPort}`;
    processes.push(await startController(bin, { home, logDir: opts.logDir, kubeconfig: opts.kubeconfig, redis, repoServer, metricsPort: controllerMetricsPort }));
    const facts: ArgoCdFacts = {
      version: bin.version,
      namespace: ARGOCD_NAMESPACE,
      project,
      destinationServer: IN_CLUSTER,
      repoURL: repo.url,
      repoDir: repo.dir,
      redis,
      repoServer,
      controllerMetrics: `http://127.0.0.1:${controllerMetricsPort}/metrics`,
    };
    return { facts, processes, readyInMs: Date.now() - started };
  } catch (err) {
    await Promise.all(processes.map((p) => p.stop()));
    throw err;
  }
}

/**
 * startProcess with the server's output appended to its log file by the shell. startProcess
 * pipes stdout and stderr into one file stream, and whichever pipe ends first ends that stream;
 * Argo CD writes to both, so its last lines at shutdown could hit the closed stream ("write after
 * end", an unhandled error that crashes jest's global teardown). Redirected here, both pipes stay empty.
 */
function startLogged(name: string, command: string, args: readonly string[], opts: { logDir: string; cwd: string; env?: NodeJS.ProcessEnv }): ManagedProcess {
  const env = { ...opts.env, PREVIEWD_LOG_FILE: join(opts.logDir, `${name}.log`) };
  return startProcess(name, 'sh', ['-c', 'exec "$@" >>"$PREVIEWD_LOG_FILE" 2>&1', name, command, ...args], { ...opts, env });
}

async function serverSideApply(http: KubeHttp, path: string, object: Record<string, unknown>): Promise<void> {
  const res = await http.send('PATCH', `${path}?fieldManager=${FIELD_MANAGER}&force=true`, JSON.stringify(object), 'application/apply-patch+yaml');
  if (res.status >= 300) throw new Error(`applying ${path} failed: ${res.status} ${res.body}`);
}

/**
 * What an Argo CD installation puts in its namespace before the controller starts: the two
 * ConfigMaps its settings manager watches (found by the part-of label), the secret with the
 * server key, and the previews AppProject. Returns the project's name.
 */
async function installClusterObjects(opts: ArgoCdStartOptions, repoURL: string): Promise<string> {
  const ns = ARGOCD_NAMESPACE;
  await serverSideApply(opts.http, `/api/v1/namespaces/${ns}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const name of ['argocd-cm', 'argocd-rbac-cm']) {
    await serverSideApply(opts.http, `/api/v1/namespaces/${ns}/configmaps/${name}`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: ns, labels: PART_OF },
    });
  }
  await serverSideApply(opts.http, `/api/v1/namespaces/${ns}/secrets/argocd-secret`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'argocd-secret', namespace: ns, labels: PART_OF },
    stringData: { 'server.secretkey': randomBytes(32).toString('base64') },
  });
  const project = await renderAppProject(opts.helm, repoURL);
  const name = project.metadata.name;
  await serverSideApply(opts.http, `/apis/argoproj.io/v1alpha1/namespaces/${ns}/appprojects/${name}`, project);
  return name;
}

interface RenderedProject extends Record<string, unknown> {
  metadata: { name: string };
}

/** The chart's own AppProject template, so the tests hold Argo CD to exactly the rules users install. */
async function renderAppProject(helm: string, repoURL: string): Promise<RenderedProject> {
  const { stdout } = await run(helm, [
    'template',
    'previewd',
    CHART_DIR,
    '--show-only',
    'templates/appproject.yaml',
    '--set',
    `argocd.namespace=${ARGOCD_NAMESPACE}`,
    '--set-json',
    `argocd.project.sourceRepos=${JSON.stringify([repoURL])}`,
  ]);
  const project = parse(stdout) as RenderedProject | null;
  if (project?.metadata?.name === undefined) throw new Error(`charts/previewd rendered no AppProject: ${stdout}`);
  return project;
}

function redisPing(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok ? true : undefined);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk: Buffer) => done(chunk.toString().startsWith('+PONG')));
    socket.write('PING\r\n');
  });
}

/** A throwaway cache: loopback only, nothing written to disk. */
async function startRedis(bin: ArgoCdBinaries, home: string, logDir: string, port: number): Promise<ManagedProcess> {
  const dir = join(home, 'redis');
  mkdirSync(dir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'];
  const redis = startLogged('redis', bin.redisServer, args, { logDir, cwd: dir });
  await waitFor('redis PING', () => redisPing(port), { timeoutMs: 15_000, process: redis });
  return redis;
}

async function httpOk(url: string): Promise<true | undefined> {
  return (await fetch(url)).ok ? true : undefined;
}

interface RepoServerOptions {
  readonly home: string;
  readonly logDir: string;
  readonly helm: string;
  readonly redis: string;
  readonly port: number;
  readonly metricsPort: number;
}

/**
 * The repo-server clones and renders: it runs git, helm, kustomize and git-verify-wrapper.sh
 * from PATH. TMPDIR and the ask-pass socket are per run (their defaults are fixed paths every
 * run on the machine would share), and HOME is per run so no user git or helm config leaks in.
 */
async function startRepoServer(bin: ArgoCdBinaries, o: RepoServerOptions): Promise<ManagedProcess> {
  const dir = join(o.home, 'repo-server');
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const path = [bin.binDir, dirname(bin.kustomize), dirname(o.helm), process.env.PATH ?? ''].join(delimiter);
  const server = startLogged(
    'argocd-repo-server',
    bin.repoServer,
    [
      '--address=127.0.0.1',
      `--port=${o.port}`,
      '--metrics-address=127.0.0.1',
      `--metrics-port=${o.metricsPort}`,
      `--redis=${o.redis}`,
      // Plain gRPC on loopback; 3.6.1 refuses --disable-tls while a client CA path is set, and its default is not empty.
      '--disable-tls',
      '--client-ca-path=',
      `--revision-cache-expiration=${ARGOCD_TEST_TIMINGS.revisionCacheSeconds}s`,
      '--logformat=text',
    ],
    {
      logDir: o.logDir,
      cwd: dir,
      env: {
        PATH: path,
        HOME: dir,
        TMPDIR: tmp,
        ARGOCD_ASK_PASS_SOCK: join(dir, 'askpass.sock'),
        // No signature verification configured, and its keyring would default to /app/config/gpg.
        ARGOCD_GPG_ENABLED: 'false',
      },
    },
  );
  // `full=true` makes the repo-server call its own gRPC health service, not only answer HTTP.
  await waitFor('argocd-repo-server /healthz', () => httpOk(`http://127.0.0.1:${o.metricsPort}/healthz?full=true`), { timeoutMs: 30_000, process: server });
  return server;
}

interface ControllerOptions {
  readonly home: string;
  readonly logDir: string;
  readonly kubeconfig: string;
  readonly redis: string;
  readonly repoServer: string;
  readonly metricsPort: number;
}

/**
 * ARGOCD_FAKE_IN_CLUSTER (Argo CD's own development switch) makes the in-cluster destination
 * use KUBECONFIG, i.e. the harness's API server, since nothing here runs inside a pod.
 */
async function startController(bin: ArgoCdBinaries, o: ControllerOptions): Promise<ManagedProcess> {
  const dir = join(o.home, 'application-controller');
  mkdirSync(dir, { recursive: true });
  const controller = startLogged(
    'argocd-application-controller',
    bin.applicationController,
    [
      `--namespace=${ARGOCD_NAMESPACE}`,
      `--redis=${o.redis}`,
      `--repo-server=${o.repoServer}`,
      '--repo-server-plaintext',
      `--metrics-port=${o.metricsPort}`,
      `--app-resync=${ARGOCD_TEST_TIMINGS.appResyncSeconds}`,
      '--app-resync-jitter=0',
      `--self-heal-backoff-timeout-seconds=${ARGOCD_TEST_TIMINGS.selfHealBackoffSeconds}`,
      '--logformat=text',
    ],
    {
      logDir: o.logDir,
      cwd: dir,
      env: { KUBECONFIG: o.kubeconfig, ARGOCD_FAKE_IN_CLUSTER: 'true', HOME: dir, TMPDIR: dir },
    },
  );
  // Served once the Application and AppProject informers have synced.
  await waitFor('argocd-application-controller /healthz', () => httpOk(`http://127.0.0.1:${o.metricsPort}/healthz`), { timeoutMs: 60_000, process: controller });
  return controller;
}
