import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import type { PreviewdConfig } from './previewd-config';

// What `npm run dev` adds under the user's own config (file and env still override it): a
// sample repository matching GitHub's published example payloads, a local cluster setting, a
// webhook secret kept in the state directory, and an ingress on loopback only.

// Settings of `npm run dev` alone (where its state lives, which ports it takes, which Temporal
// CLI it runs). Not part of the product config: a deployed worker never reads them.

export const devSettingsSchema = z
  .object({
    /** Temporal's SQLite file, logs and the generated dev config live here. */
    stateDir: z.string().min(1).default('.previewd'),
    /** Where `npm run provision` cached the Temporal CLI. */
    cacheDir: z.string().min(1),
    /** An explicit Temporal CLI; otherwise PATH, then the provision cache. */
    temporalCli: z.string().min(1).optional(),
    /** PATH, searched for `temporal`. */
    searchPath: z.string().default(''),
    temporalPort: z.number().int().min(1).max(65535).default(7233),
    uiPort: z.number().int().min(1).max(65535).default(8233),
    /**
     * `auto`: the configured cluster when a kubeconfig is configured or found (KUBECONFIG,
     * PREVIEWD_KUBECONFIG, kubernetes.kubeconfig, ~/.kube/config, in-cluster), else the embedded one.
     * `embedded`: always the embedded cluster. `kubeconfig`: never the embedded cluster.
     */
    cluster: z.enum(['auto', 'embedded', 'kubeconfig']).default('auto'),
    /** The user's home (for ~/.kube/config). */
    home: z.string().min(1),
  })
  .strict();

export type DevSettings = z.infer<typeof devSettingsSchema>;

export const DEV_SAMPLE_REPOSITORY = 'Codertocat/Hello-World';

/** A random secret, created once per state directory (0600) so a restart keeps it. */
export function devWebhookSecret(stateDir: string): string {
  const file = join(stateDir, 'webhook-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(24).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The embedded cluster's Argo CD and sample GitOps repository, when dev mode runs one. */
export interface EmbeddedGitops {
  readonly repoURL: string;
  readonly path: string;
  readonly project: string;
  readonly argocdNamespace: string;
}

/**
 * On the user's cluster the sample service is Argo CD's own example app; on the embedded cluster
 * it is the sample GitOps repository's app that is healthy without pods (no kubelet runs there),
 * from the AppProject the embedded Argo CD was given.
 */
export function devBaseConfig(webhookSecret: string, embedded?: EmbeddedGitops): Record<string, unknown> {
  const source = embedded
    ? { repoURL: embedded.repoURL, path: embedded.path, image: 'registry.example.test/hello/web' }
    : { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', path: 'helm-guestbook', image: 'gcr.io/heptio-images/ks-guestbook-demo' };
  const argocd = embedded ? { argocd: { namespace: embedded.argocdNamespace, project: embedded.project } } : {};
  return {
    cluster: { baseEnvironment: { name: 'dev', namespace: 'default' }, domain: 'preview.localhost', ...argocd },
    github: { webhookSecrets: [webhookSecret] },
    ingress: { host: '127.0.0.1' },
    repositories: [{ fullName: DEV_SAMPLE_REPOSITORY, key: 'hello', scope: 'all', services: [{ name: 'web', expose: { port: 8080 }, source }] }],
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
