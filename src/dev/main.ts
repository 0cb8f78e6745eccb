// `npm run dev`: previewd on one machine. An embedded Temporal dev server (UI, persisted to
// .previewd/temporal.db, search attributes registered), the worker (real activities against
// the kubeconfig's current cluster) and the webhook ingress, in this one process, each started
// by the same code as its own process (src/worker/start-worker.ts, src/ingress/start-ingress.ts).
// Ctrl-C stops all three. Config: the usual env vars and optional YAML file (docs/config.md),
// over dev defaults (a sample repository, a local cluster setting, a generated webhook secret).
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deepFreeze, devBaseConfig, devWebhookSecret, loadConfig, loadDevSettings, writePreviewctlConfig, type PreviewdConfig } from '../config';
import { createIngressMetrics } from '../ingress/ingress-metrics';
import { serveIngress, type RunningIngress } from '../ingress/start-ingress';
import { createWorkerMetrics } from '../observability/worker-metrics';
import { PreviewdProcess } from '../process/bootstrap';
import { checkClusterReachable, describeCluster, loadKubeConfig, startWorker } from '../worker';
import { findTemporalCli } from './temporal-cli-path';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-dev-server';

const proc = new PreviewdProcess('dev', 'stdout');

function banner(config: PreviewdConfig, server: TemporalDevServer, ingress: RunningIngress, cluster: string, cliConfig: string): string {
  const repo = config.repositories[0];
  const simulate = repo
    ? `npm run previewctl -- --config ${cliConfig} simulate --repo ${repo.fullName} --pr 1`
    : 'npm run previewctl -- simulate --repo <owner/repo> --pr 1   (configure a repository first)';
  return [
    `ready (Kubernetes: ${cluster})`,
    `  Temporal UI:  ${server.uiUrl ?? 'off'}   (Temporal ${server.address}, namespace ${server.namespace})`,
    `  Webhook URL:  ${ingress.webhookUrl}`,
    `  Repositories: ${config.repositories.map((r) => r.fullName).join(', ') || 'none'}`,
    `  Try it:       ${simulate}`,
    `  Status:       npm run previewctl -- --config ${cliConfig} list`,
    '  Ctrl-C to stop',
  ].join('\n');
}

proc.run(async () => {
  const dev = loadDevSettings();
  mkdirSync(dev.stateDir, { recursive: true });
  const loaded = loadConfig({ base: devBaseConfig(devWebhookSecret(dev.stateDir)) });

  // The cluster first: it is the cheapest thing to check and the likeliest to be missing.
  const kubeConfig = loadKubeConfig(loaded.kubernetes);
  const version = await checkClusterReachable(kubeConfig);
  const cluster = `${describeCluster(kubeConfig)}, ${version}`;

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
  await startWorker(proc, base, { kubeConfig, metrics: workerMetrics, uiUrl: server.uiUrl });
  const ingress = await serveIngress(proc, base, { metrics });

  const cliConfig = join(dev.stateDir, 'previewctl.yaml');
  const port = Number(new URL(ingress.url).port);
  writePreviewctlConfig(cliConfig, { ...config, ingress: { ...config.ingress, port } });
  proc.say(banner(config, server, ingress, cluster, relative(process.cwd(), cliConfig) || cliConfig));
});
