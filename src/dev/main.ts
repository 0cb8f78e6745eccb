// `npm run dev`: previewd on one machine. An embedded Temporal dev server (UI, persisted to
// .previewd/temporal.db, search attributes registered), the worker (real activities against
// the kubeconfig's current cluster) and the webhook ingress, in this one process. Ctrl-C
// stops all three. Config: the usual env vars and optional YAML file (docs/config.md), over
// dev defaults (a sample repository, a local cluster setting, a generated webhook secret).
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deepFreeze, devBaseConfig, devWebhookSecret, loadConfig, loadDevSettings, writePreviewctlConfig, type PreviewdConfig } from '../config';
import { createLogger } from '../ingress/ingress-logger';
import { createIngressMetrics } from '../ingress/ingress-metrics';
import { tracingClientInterceptors } from '../observability/client-tracing';
import { installTemporalLogging } from '../observability/temporal-runtime';
import { startTracing, type Tracing } from '../observability/tracing';
import { createWorkerMetrics } from '../observability/worker-metrics';
import { startIngress, type RunningIngress } from '../ingress/start-ingress';
import { activitiesFromConfig, checkClusterReachable, createWorker, describeCluster, loadKubeConfig, startJanitorClient, type JanitorClient, type PreviewdWorker } from '../worker';
import { findTemporalCli } from './temporal-cli-path';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-dev-server';

const say = (text: string): void => void process.stdout.write(`previewd dev: ${text}\n`);

interface Running {
  server?: TemporalDevServer;
  worker?: PreviewdWorker;
  janitor?: JanitorClient;
  ingress?: RunningIngress;
  tracing?: Tracing;
}

/** Stops what started, newest first: no new deliveries, then no new tasks, then the server. */
async function stopAll(running: Running): Promise<void> {
  await running.ingress?.close().catch(() => undefined);
  await running.worker?.stop().catch(() => undefined);
  await running.janitor?.close().catch(() => undefined);
  await running.tracing?.shutdown().catch(() => undefined);
  await running.server?.process.stop();
}

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

async function main(running: Running): Promise<void> {
  const dev = loadDevSettings();
  mkdirSync(dev.stateDir, { recursive: true });
  const loaded = loadConfig({ base: devBaseConfig(devWebhookSecret(dev.stateDir)) });

  // The cluster first: it is the cheapest thing to check and the likeliest to be missing.
  const kubeConfig = loadKubeConfig(loaded.kubernetes);
  const version = await checkClusterReachable(kubeConfig);
  const cluster = `${describeCluster(kubeConfig)}, ${version}`;

  const cliPath = findTemporalCli({ explicit: dev.temporalCli === 'sdk-download' ? undefined : dev.temporalCli, pathEnv: dev.searchPath, cacheDir: dev.cacheDir });
  if (!cliPath) throw new Error('no Temporal CLI found: install `temporal`, set PREVIEWD_TEMPORAL_CLI, or run `npm run provision`');
  say('starting the Temporal dev server');
  running.server = await startTemporalDevServer({
    cliPath,
    logDir: join(dev.stateDir, 'logs'),
    dbFile: join(dev.stateDir, 'temporal.db'),
    ui: true,
    uiPort: dev.uiPort,
    port: dev.temporalPort,
  });
  // Dev mode always uses its own server, whatever temporal.address says.
  const config = deepFreeze({ ...loaded, temporal: { ...loaded.temporal, address: running.server.address, namespace: running.server.namespace, tls: { enabled: false }, apiKey: undefined } });

  const logger = createLogger({ level: config.log.level, name: 'previewd-dev' });
  // Before the worker creates Temporal's runtime: SDK, workflow and activity logs become JSON lines too.
  installTemporalLogging(logger);
  running.tracing = startTracing({ otlpEndpoint: config.telemetry.otlpEndpoint, serviceName: `${config.telemetry.serviceName}-dev` });
  // One process, one /metrics: the worker's metrics join the ingress's registry.
  const metrics = createIngressMetrics();
  const workerMetrics = createWorkerMetrics({ registry: metrics.registry, defaultMetrics: false });
  running.janitor = await startJanitorClient(config, logger);
  say('starting the worker (bundling the workflows takes a few seconds)');
  running.worker = await createWorker({
    config,
    activities: activitiesFromConfig(config, kubeConfig, { uiUrl: running.server.uiUrl, temporalClient: running.janitor.client, metricsRegistry: metrics.registry }),
    metrics: workerMetrics,
    tracing: running.tracing,
  });
  running.ingress = await startIngress({ config, logger, metrics, clientInterceptors: tracingClientInterceptors(running.tracing) });

  const cliConfig = join(dev.stateDir, 'previewctl.yaml');
  const port = Number(new URL(running.ingress.url).port);
  writePreviewctlConfig(cliConfig, { ...config, ingress: { ...config.ingress, port } });
  say(banner(config, running.server, running.ingress, cluster, relative(process.cwd(), cliConfig) || cliConfig));
  // A worker that dies on its own (lost server, fatal error) ends dev mode rather than leaving a deaf ingress.
  void running.worker.done.catch((err: unknown) => {
    process.stderr.write(`previewd dev: the worker stopped: ${err instanceof Error ? err.message : String(err)}\n`);
    void stopAll(running).finally(() => process.exit(1));
  });
}

const running: Running = {};
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  say('stopping');
  stopAll(running).then(
    () => {
      say('stopped');
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`previewd dev: did not stop cleanly: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

main(running).catch(async (err: unknown) => {
  process.stderr.write(`previewd dev: ${err instanceof Error ? err.message : String(err)}\n`);
  await stopAll(running).catch(() => undefined);
  process.exit(1);
});
