import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const PROVISION_HINT = 'run `npm run provision` (scripts/provision) first; README "Troubleshooting" lists what it needs';

export interface ServerBinaries {
  /** Temporal CLI path, or 'sdk-download' to let @temporalio/testing fetch its own. */
  readonly temporalCli: string;
  /** Time-skipping test server path, or 'sdk-download'. */
  readonly testServer: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly etcd: string;
  readonly kubeVersion: string;
  readonly helm: string;
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PREVIEWD_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'previewd');
}

export function pinnedVersions(): Record<string, string> {
  const file = resolve(__dirname, '../../scripts/versions.env');
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m): [string, string] => [m[1] as string, m[2] as string]);
  return Object.fromEntries(entries);
}

/** Finds the provisioned servers; throws a message that says how to provision when any is missing. */
export function resolveBinaries(opts: { kube?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): ServerBinaries {
  const cache = cacheDir(env);
  const kubeVersion = env.PREVIEWD_KUBE_VERSION ?? pinnedVersions().KUBE_VERSION ?? 'unknown';
  const kubeBin = env.PREVIEWD_KUBE_BIN_DIR ?? join(cache, 'kube', kubeVersion, 'bin');
  const temporalPaths = join(cache, 'temporal', 'paths.json');
  const missing: string[] = [];
  const needKube = opts.kube ?? true;
  const need = (path: string, required = true): string => {
    if (required && !existsSync(path)) missing.push(path);
    return path;
  };
  let temporal = { temporalCli: '', testServer: '' };
  if (existsSync(temporalPaths)) {
    temporal = JSON.parse(readFileSync(temporalPaths, 'utf8')) as typeof temporal;
  } else {
    missing.push(temporalPaths);
  }
  const binaries: ServerBinaries = {
    temporalCli: env.PREVIEWD_TEMPORAL_CLI ?? temporal.temporalCli,
    testServer: env.PREVIEWD_TEST_SERVER ?? temporal.testServer,
    kubeApiserver: need(join(kubeBin, 'kube-apiserver'), needKube),
    kubeControllerManager: need(join(kubeBin, 'kube-controller-manager'), needKube),
    etcd: need(join(kubeBin, 'etcd'), needKube),
    kubeVersion,
    helm: env.PREVIEWD_HELM ?? need(join(cache, 'helm', pinnedVersions().HELM_VERSION ?? 'unknown', 'helm'), needKube),
  };
  for (const path of [binaries.temporalCli, binaries.testServer]) {
    if (path && path !== 'sdk-download') need(path);
  }
  if (missing.length > 0) {
    throw new Error(`previewd test servers are not provisioned (missing: ${missing.join(', ')}): ${PROVISION_HINT}`);
  }
  return binaries;
}

/** promtool as scripts/provision-promtool.sh leaves it (PREVIEWD_PROMTOOL: another one); throws how to provision when missing. */
export function resolvePromtool(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.PREVIEWD_PROMTOOL ?? join(cacheDir(env), 'promtool', 'promtool');
  if (!existsSync(path)) throw new Error(`promtool is not provisioned (missing: ${path}): ${PROVISION_HINT}`);
  return path;
}

/** Real Argo CD as scripts/provision-argocd.sh leaves it, plus the tools its repo-server runs. */
export interface ArgoCdBinaries {
  readonly version: string;
  /** argocd-application-controller, argocd-repo-server (links to one binary) and git-verify-wrapper.sh. */
  readonly binDir: string;
  readonly applicationController: string;
  readonly repoServer: string;
  readonly kustomize: string;
  readonly redisServer: string;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, name))
    .find((file) => existsSync(file));
}

/** Finds the provisioned Argo CD, kustomize and redis-server; throws how to provision when any is missing. */
export function resolveArgoCdBinaries(env: NodeJS.ProcessEnv = process.env): ArgoCdBinaries {
  const cache = cacheDir(env);
  const pinned = pinnedVersions();
  const version = env.PREVIEWD_ARGOCD_VERSION ?? pinned.ARGOCD_VERSION ?? 'unknown';
  const binDir = env.PREVIEWD_ARGOCD_BIN_DIR ?? join(cache, 'argocd', version, 'bin');
  const kustomize = env.PREVIEWD_KUSTOMIZE ?? join(cache, 'kustomize', env.PREVIEWD_KUSTOMIZE_VERSION ?? pinned.KUSTOMIZE_VERSION ?? 'unknown', 'kustomize');
  const redisServer = env.PREVIEWD_REDIS_SERVER ?? onPath('redis-server', env);
  const binaries: ArgoCdBinaries = {
    version,
    binDir,
    applicationController: join(binDir, 'argocd-application-controller'),
    repoServer: join(binDir, 'argocd-repo-server'),
    kustomize,
    redisServer: redisServer ?? 'redis-server',
  };
  const missing = [binaries.applicationController, binaries.repoServer, join(binDir, 'git-verify-wrapper.sh'), kustomize].filter((p) => !existsSync(p));
  if (redisServer === undefined || !existsSync(redisServer)) missing.push(redisServer ?? 'redis-server on PATH');
  if (missing.length > 0) {
    throw new Error(`real Argo CD is not provisioned (missing: ${missing.join(', ')}): ${PROVISION_HINT}`);
  }
  return binaries;
}
