import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApi, kubeConfigTransport, KubernetesApiError } from '../../../activities/kubernetes';
import { parseClusterSettings } from '../../../src/config';
import { RouteStatusWriter } from '../../fakes/route-status-writer';
import { harnessState, testKubeConfig } from '../../harness';
import { ApplicationWatch } from './application-watch';
import { ARGOCD_NAMESPACE, chaosClusterConfig, chaosRepository, type ChaosRepository } from './chaos-cluster';
import { writeWorkerConfig } from './worker-process';

// What every scenario sets up on the harness's control plane: a repository of its own and a
// watch that records every Application the scenario's previews get. The harness's real Argo CD
// syncs them; it talks to the API server directly, never through a fault proxy (the faults are
// previewd's, not Argo CD's). No gateway controller runs either: a route-status writer accepts
// the routes of the scenario's previews in its place, or previewd would never report them Ready.

export interface ChaosScenario {
  readonly dir: string;
  readonly logDir: string;
  /** Admin client straight to the API server (never through a fault proxy). */
  readonly api: KubeApi;
  readonly repo: ChaosRepository;
  readonly watch: ApplicationWatch;
  /** Writes a worker config file for this scenario's cluster settings. */
  workerConfig(name: string, temporal: { address: string; namespace: string; taskQueue: string }, kubeconfig: string): string;
  /** Duplicated Applications, Applications left behind, holes in the watch. */
  applicationViolations(): string[];
  close(): Promise<void>;
}

export interface ScenarioOptions {
  /** The worker's `cluster.timeouts.pollIntervalMs`. */
  readonly pollIntervalMs?: number;
}

export async function openScenario(name: string, keyPrefix: string, options: ScenarioOptions = {}): Promise<ChaosScenario> {
  const { kube } = harnessState();
  const dir = mkdtempSync(join(tmpdir(), `previewd-chaos-${name}-`));
  const logDir = join(dir, 'logs');
  const api = new KubeApi(kubeConfigTransport(testKubeConfig()));
  await ensureNamespace(api, ARGOCD_NAMESPACE);
  const repo = chaosRepository(keyPrefix);
  const watch = await ApplicationWatch.start({
    server: kube.server,
    pki: kube.pki,
    namespace: ARGOCD_NAMESPACE,
    labelSelector: repo.applicationSelector,
    prLabel: repo.labels.pr,
    serviceLabel: repo.labels.service,
  });
  const gateway = RouteStatusWriter.forSettings(testKubeConfig(), { labelSelector: repo.applicationSelector }, parseClusterSettings(chaosClusterConfig())).start(250);
  process.stdout.write(`chaos ${name}: repository ${repo.config.fullName}, files and worker logs in ${dir}\n`);
  return {
    dir,
    logDir,
    api,
    repo,
    watch,
    workerConfig: (file, temporal, kubeconfig) =>
      writeWorkerConfig(dir, file, {
        temporal,
        kubernetes: { kubeconfig },
        cluster: chaosClusterConfig(options.pollIntervalMs),
        // Each worker process gets a free port for its probes and metrics (9464 would collide).
        worker: { host: '127.0.0.1', port: 0 },
        // Not under test here, and it would leave an hourly schedule on the server.
        janitor: { enabled: false },
        // `worker started` is an info line; the scenario waits for it.
        log: { level: 'info' },
      }),
    applicationViolations: () => [
      ...watch.duplicates(),
      ...watch.live().map((a) => `Application ${a.name} (${a.uid}) still exists`),
      ...watch.errors,
      ...(watch.incarnations.size === 0 ? ['the watch saw no Application at all'] : []),
    ],
    async close() {
      watch.stop();
      await gateway.stop();
    },
  };
}

async function ensureNamespace(api: KubeApi, name: string): Promise<void> {
  try {
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } catch (err) {
    if (!(err instanceof KubernetesApiError && err.code === 409)) throw err;
  }
}
