import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

// The first `npm run dev` on a machine without a cluster builds the embedded one. Provisioning
// happens here, in the foreground with the scripts' own progress lines, rather than stopping with
// a command to copy: a new user asked for `npm run dev` to start everything, and every part is
// cached (~/.cache/previewd), so only the first run pays. Ctrl-C stops it; a later run resumes
// with what was already built.

const SCRIPTS_DIR = resolve(__dirname, '../../scripts');

/** The provisioning scripts dev mode's embedded stack needs, in order (each skips what is cached). */
export const EMBEDDED_PROVISION_SCRIPTS = ['provision-temporal.sh', 'provision-kube.sh', 'provision-helm.sh', 'provision-argocd.sh'] as const;

export interface ProvisionOptions {
  readonly cacheDir: string;
  readonly say: (text: string) => void;
  /** How often to say it is still working (Go builds print nothing for many minutes). */
  readonly heartbeatMs?: number;
}

function runScript(script: string, opts: ProvisionOptions): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('bash', [resolve(SCRIPTS_DIR, script)], { env: { ...process.env, PREVIEWD_CACHE: opts.cacheDir }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', fail);
    child.once('exit', (code, signal) => (code === 0 ? done() : fail(new Error(`scripts/${script} failed (${signal ?? `exit ${code}`}); its output is above. Fix what it names and run \`npm run dev\` again, or point KUBECONFIG at a cluster of your own`))));
  });
}

/** Runs the embedded stack's provisioning scripts with progress output. */
export async function provisionEmbeddedServers(opts: ProvisionOptions): Promise<void> {
  const started = Date.now();
  const minutes = () => Math.round((Date.now() - started) / 60_000);
  const heartbeat = setInterval(() => opts.say(`still provisioning (${minutes()} min so far)`), opts.heartbeatMs ?? 60_000);
  try {
    for (const script of EMBEDDED_PROVISION_SCRIPTS) {
      opts.say(`provisioning: scripts/${script}`);
      await runScript(script, opts);
    }
  } finally {
    clearInterval(heartbeat);
  }
  opts.say(`provisioned in ${minutes()} min (cached in ${opts.cacheDir}; later runs start in seconds)`);
}
