// `npm run dev`: previewd on one machine. An embedded Temporal dev server (UI, persisted to
// .previewd/temporal.db, search attributes registered), the worker (real activities against the
// cluster) and the webhook ingress, in this one process, each started by the same code as its own
// process (src/worker/start-worker.ts, src/ingress/start-ingress.ts). The cluster is the user's
// when a kubeconfig is configured or found; otherwise an embedded one (src/dev/embedded-cluster.ts:
// API server, controller manager, real Argo CD, the sample GitOps repository), built on first use.
// Ctrl-C stops everything. Config: the usual env vars and optional YAML file (docs/config.md),
// over dev defaults (a sample repository, a local cluster setting, a generated webhook secret).
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { deepFreeze, devBaseConfig, devWebhookSecret, loadConfig, loadDevSettings, writePreviewctlConfig, type DevSettings, type KubernetesConfig, type PreviewdConfig } from '../config';
import { createIngressMetrics } from '../ingress/ingress-metrics';
import { serveIngress, type RunningIngress } from '../ingress/start-ingress';
import { createWorkerMetrics } from '../observability/worker-metrics';
import { PreviewdProcess } from '../process/bootstrap';
import { checkClusterReachable, describeCluster, loadKubeConfig, startWorker } from '../worker';
import { EMBEDDED_SAMPLE_APP, startEmbeddedCluster, type EmbeddedCluster } from './embedded-cluster';
import { findTemporalCli } from './temporal-cli-path';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-dev-server';

const proc = new PreviewdProcess('dev', 'stdout');

interface DevCluster {
  readonly kubeConfig: KubeConfig;
  /** One line for the banner: which cluster, and how to use another. */
  readonly description: string;
  readonly embedded?: EmbeddedCluster;
}

function banner(config: PreviewdConfig, server: TemporalDevServer, ingress: RunningIngress, cluster: DevCluster, cliConfig: string): string {
  const repo = config.repositories[0];
  const simulate = repo ? `npm run previewctl -- --config ${cliConfig} simulate --repo ${repo.fullName} --pr 1` : 'npm run previewctl -- simulate --repo <owner/repo> --pr 1   (configure a repository first)';
  return [
    `ready (Kubernetes: ${cluster.description})`,
    `  Temporal UI:  ${server.uiUrl ?? 'off'}   (Temporal ${server.address}, namespace ${server.namespace})`,
    `  Webhook URL:  ${ingress.webhookUrl}`,
    `  Repositories: ${config.repositories.map((r) => r.fullName).join(', ') || 'none'}`,
    `  Try it:       ${simulate}`,
    `  Status:       npm run previewctl -- --config ${cliConfig} list`,
    ...(repo ? [`  Close it:     ${simulate} --action closed`] : []),
    '  Ctrl-C to stop',
  ].join('\n');
}

/** A kubeconfig the user configured or has: then dev mode uses that cluster (and fails if it does not answer). */
function hasKubeconfig(kubernetes: KubernetesConfig, dev: DevSettings, env: NodeJS.ProcessEnv): boolean {
  return Boolean(kubernetes.kubeconfig || env.KUBECONFIG || env.KUBERNETES_SERVICE_HOST || existsSync(join(dev.home, '.kube', 'config')));
}

async function userCluster(kubernetes: KubernetesConfig): Promise<DevCluster> {
  const kubeConfig = loadKubeConfig(kubernetes);
  try {
    const version = await checkClusterReachable(kubeConfig);
    return { kubeConfig, description: `${describeCluster(kubeConfig)}, ${version}` };
  } catch (err) {
    throw new Error(`${(err as Error).message} Or unset KUBECONFIG (or set PREVIEWD_DEV_CLUSTER=embedded) and dev mode runs an embedded cluster with real Argo CD.`);
  }
}

async function embeddedCluster(dev: DevSettings): Promise<DevCluster> {
  const embedded = await startEmbeddedCluster({ stateDir: dev.stateDir, cacheDir: dev.cacheDir, say: (text) => proc.say(text) });
  proc.onStop('embedded cluster', () => embedded.stop());
  const kubeConfig = loadKubeConfig({ kubeconfig: embedded.kubeconfig });
  const kubeconfig = relative(process.cwd(), embedded.kubeconfig) || embedded.kubeconfig;
  const description =
    `embedded cluster, kube-apiserver ${embedded.kubeVersion} at ${embedded.server}, Argo CD ${embedded.argocd.version} in namespace ${embedded.argocd.namespace}, ` +
    `GitOps repository ${embedded.argocd.repoURL}; kubeconfig ${kubeconfig}. To use a real cluster instead, set KUBECONFIG and restart`;
  return { kubeConfig, description, embedded };
}

proc.run(async () => {
  const dev = loadDevSettings();
  mkdirSync(dev.stateDir, { recursive: true });
  const secret = devWebhookSecret(dev.stateDir);
  const configured = loadConfig({ base: devBaseConfig(secret) });
  const embed = dev.cluster === 'embedded' || (dev.cluster === 'auto' && !hasKubeconfig(configured.kubernetes, dev, process.env));

  // The cluster first: it is the likeliest to be missing, and the embedded one takes longest to start.
  const cluster = embed ? await embeddedCluster(dev) : await userCluster(configured.kubernetes);
  const argocd = cluster.embedded?.argocd;
  const loaded = argocd
    ? loadConfig({ base: devBaseConfig(secret, { repoURL: argocd.repoURL, path: EMBEDDED_SAMPLE_APP, project: argocd.project, argocdNamespace: argocd.namespace }) })
    : configured;

  const cliPath = findTemporalCli({ explicit: dev.temporalCli === 'sdk-download' ? undefined : dev.temporalCli, pathEnv: dev.searchPath, cacheDir: dev.cacheDir });
  if (!cliPath) throw new Error('no Temporal CLI found: install `temporal`, set PREVIEWD_TEMPORAL_CLI, or run `npm run provision`');
  proc.say('starting the Temporal dev server');
  const server = await startTemporalDevServer({
    cliPath,
    logDir: join(dev.stateDir, 'logs'),
    dbFile: join(dev.stateDir, 'temporal.db'),
    ui: true,
    uiPort: dev.uiPort,
    port: dev.temporalPort,
  });
  proc.onStop('Temporal dev server', () => server.process.stop());
  // Dev mode always uses its own server, whatever temporal.address says.
  const config = deepFreeze({ ...loaded, temporal: { ...loaded.temporal, address: server.address, namespace: server.namespace, tls: { enabled: false }, apiKey: undefined } });
  const base = proc.bootstrap({ config, temporalLogging: true });

  // One process, one /metrics: the worker's metrics join the ingress's registry.
  const metrics = createIngressMetrics();
  const workerMetrics = createWorkerMetrics({ registry: metrics.registry, defaultMetrics: false });
  proc.say('starting the worker (bundling the workflows takes a few seconds)');
  await startWorker(proc, base, { kubeConfig: cluster.kubeConfig, metrics: workerMetrics, uiUrl: server.uiUrl });
  const ingress = await serveIngress(proc, base, { metrics });

  const cliConfig = join(dev.stateDir, 'previewctl.yaml');
  const port = Number(new URL(ingress.url).port);
  writePreviewctlConfig(cliConfig, { ...config, ingress: { ...config.ingress, port } });
  proc.say(banner(config, server, ingress, cluster, relative(process.cwd(), cliConfig) || cliConfig));
});
