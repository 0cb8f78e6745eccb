import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PreviewdConfig } from './previewd-config';

// What `npm run dev` adds under the user's own config (file and env still override it): a
// sample repository matching GitHub's published example payloads, a local cluster setting, a
// webhook secret kept in the state directory, and an ingress on loopback only.

export const DEV_SAMPLE_REPOSITORY = 'Codertocat/Hello-World';

/** A random secret, created once per state directory (0600) so a restart keeps it. */
export function devWebhookSecret(stateDir: string): string {
  const file = join(stateDir, 'webhook-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(24).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function devBaseConfig(webhookSecret: string): Record<string, unknown> {
  return {
    cluster: { baseEnvironment: { name: 'dev', namespace: 'default' }, domain: 'preview.localhost' },
    github: { webhookSecrets: [webhookSecret] },
    ingress: { host: '127.0.0.1' },
    repositories: [
      {
        fullName: DEV_SAMPLE_REPOSITORY,
        key: 'hello',
        scope: 'all',
        services: [{ name: 'web', expose: { port: 8080 }, source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', path: 'helm-guestbook', image: 'gcr.io/heptio-images/ks-guestbook-demo' } }],
      },
    ],
  };
}

/**
 * The config previewctl needs to talk to this dev mode (Temporal address, webhook secret,
 * ingress port, repositories), written 0600 because it holds the secret.
 */
export function writePreviewctlConfig(file: string, config: PreviewdConfig): void {
  const forCli = {
    temporal: { address: config.temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue },
    github: { webhookSecrets: [...config.github.webhookSecrets] },
    ingress: { port: config.ingress.port },
    repositories: config.repositories,
  };
  writeFileSync(file, `# written by npm run dev for previewctl; holds the dev webhook secret\n${stringify(forCli)}`, { mode: 0o600 });
  chmodSync(file, 0o600);
}
