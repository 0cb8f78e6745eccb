// The ingress process: `node dist/src/ingress/main.js`. Reads config (env + optional YAML),
// serves GitHub webhooks, /healthz, /readyz and /metrics, and stops gracefully on SIGTERM/SIGINT.
import { loadConfig, requireWebhookSecrets } from '../config';
import { tracingClientInterceptors } from '../observability/client-tracing';
import { startTracing } from '../observability/tracing';
import { createLogger } from './ingress-logger';
import { startIngress } from './start-ingress';

async function main(): Promise<void> {
  const config = loadConfig();
  requireWebhookSecrets(config);
  const logger = createLogger({ level: config.log.level, name: 'previewd-ingress' });
  if (config.repositories.length === 0) logger.warn('no repositories configured: every delivery will be ignored');
  const tracing = startTracing({ otlpEndpoint: config.telemetry.otlpEndpoint, serviceName: `${config.telemetry.serviceName}-ingress` });
  const ingress = await startIngress({ config, logger, clientInterceptors: tracingClientInterceptors(tracing) });
  logger.info({ webhookUrl: ingress.webhookUrl, repositories: config.repositories.map((r) => r.fullName) }, 'ingress listening');
  const stop = () => {
    ingress.close().then(() => tracing?.shutdown()).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'ingress did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`previewd ingress: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
