// The ingress process: `node dist/src/ingress/main.js`. Reads config (env + optional YAML),
// serves GitHub webhooks, /healthz, /readyz and /metrics, and stops gracefully on
// SIGTERM/SIGINT (src/process/bootstrap.ts).
import { loadConfig, requireWebhookSecrets } from '../config';
import { PreviewdProcess } from '../process/bootstrap';
import { serveIngress } from './start-ingress';

const proc = new PreviewdProcess('ingress');

proc.run(async () => {
  const config = loadConfig();
  requireWebhookSecrets(config);
  await serveIngress(proc, proc.bootstrap({ config }));
});
