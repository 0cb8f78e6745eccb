// `npm run dev`: a local all-in-one. Starts a Temporal dev server with its UI, persisted to
// .previewd/temporal.db, with previewd's search attributes registered, and stops it on Ctrl-C.
// The worker and the webhook ingress join this process as they land.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { findTemporalCli } from './temporal-cli-path';
import { startTemporalDevServer } from './temporal-dev-server';

async function main(): Promise<void> {
  const env = process.env;
  const stateDir = resolve(env.PREVIEWD_DEV_STATE_DIR ?? '.previewd');
  mkdirSync(stateDir, { recursive: true });
  const cacheDir = env.PREVIEWD_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'previewd');
  const cliPath = findTemporalCli({ explicit: env.PREVIEWD_TEMPORAL_CLI, pathEnv: env.PATH, cacheDir });
  if (!cliPath) {
    throw new Error('no Temporal CLI found: install `temporal`, set PREVIEWD_TEMPORAL_CLI, or run `npm run provision`');
  }
  const server = await startTemporalDevServer({
    cliPath,
    logDir: join(stateDir, 'logs'),
    dbFile: join(stateDir, 'temporal.db'),
    ui: true,
    uiPort: Number(env.PREVIEWD_DEV_UI_PORT ?? 8233),
    port: Number(env.PREVIEWD_DEV_TEMPORAL_PORT ?? 7233),
  });
  process.stdout.write(`previewd dev: Temporal ${server.address} (namespace ${server.namespace})\n  UI: ${server.uiUrl ?? 'off'}\n  Ctrl-C to stop\n`);
  const stop = async () => {
    process.stdout.write('previewd dev: stopping\n');
    await server.process.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`previewd dev: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
