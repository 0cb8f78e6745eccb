import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { stringify } from 'yaml';
import { parseConfig, type PreviewdConfig } from '../../src/config';
import { ARGOCD_NAMESPACE, BASE_NAMESPACE, NAMESPACE_PREFIX } from './bench-stack';

// One previewd configuration per lifecycle measurement, shared by the worker process (as its
// YAML file) and the in-process ingress (parsed by the same schema), so both agree exactly.

export const WEBHOOK_SECRET = 'bench-webhook-secret-0001';

export interface BenchConfigOptions {
  readonly temporal: { readonly address: string; readonly namespace: string; readonly taskQueue: string };
  readonly kubeconfig: string;
  /** Readiness and teardown polling of the Kubernetes activities (cluster.timeouts.pollIntervalMs). */
  readonly pollIntervalMs: number;
  readonly repository: { readonly fullName: string; readonly key: string; readonly ttl?: Record<string, string>; readonly trigger?: Record<string, unknown> };
  /** The prebuilt workflow bundle, loaded as production loads dist/workflow-bundle.js. */
  readonly workflowBundle?: string;
  /** worker.clusterWatch; the config's default when absent. */
  readonly clusterWatch?: boolean;
}

/** One bundle of workflows/ for every bench worker, written like `npm run build` writes dist/workflow-bundle.js. */
export async function writeWorkflowBundle(file: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } });
  writeFileSync(file, code);
  return file;
}

/** Two services in two rollout phases, like seed 000's apps tier (610 backend, 650 frontend). */
function services(): unknown[] {
  const source = (name: string) => ({ repoURL: 'https://git.example.test/gitops.git', path: `apps/${name}`, image: `ghcr.example.test/bench/${name}` });
  return [
    { name: 'api', phase: 610, source: source('api') },
    { name: 'www', phase: 650, dependsOn: ['api'], expose: { port: 8080 }, source: source('www') },
  ];
}

export function benchConfig(o: BenchConfigOptions): Record<string, unknown> {
  return {
    temporal: o.temporal,
    kubernetes: { kubeconfig: o.kubeconfig },
    cluster: {
      namespacePrefix: NAMESPACE_PREFIX,
      labelDomain: 'previewd.bench',
      argocd: { namespace: ARGOCD_NAMESPACE },
      baseEnvironment: { name: 'dev', namespace: BASE_NAMESPACE },
      domain: 'example.test',
      timeouts: { pollIntervalMs: o.pollIntervalMs, readyMs: 15 * 60_000, applicationDeletionMs: 30 * 60_000, namespaceDeletionMs: 30 * 60_000 },
    },
    repositories: [{ fullName: o.repository.fullName, key: o.repository.key, scope: 'all', services: services(), ...(o.repository.ttl && { ttl: o.repository.ttl }), trigger: { mode: 'always', ...o.repository.trigger } }],
    github: { webhookSecrets: [WEBHOOK_SECRET] },
    // The measurements post hundreds of deliveries for one repository a second.
    ingress: { rateLimit: { max: 1_000_000 } },
    // Runs end right after their teardown: the measurements await each lifecycle's outcome.
    lifecycle: { retainAfterTeardown: '0s' },
    log: { level: 'warn' },
    // The worker's probe and metrics server on a free loopback port (9464 may be taken), and no
    // orphan janitor: these namespaces are all owned, and its runs would only add noise.
    // Core metrics off: two bench workers never share a port, and the figures come from the bench.
    worker: { host: '127.0.0.1', port: 0, coreMetricsPort: 0, ...(o.workflowBundle && { workflowBundle: o.workflowBundle }), ...(o.clusterWatch !== undefined && { clusterWatch: o.clusterWatch }) },
    janitor: { enabled: false },
  };
}

/** Writes the worker's config file and returns the same config as the ingress will see it. */
export function writeBenchConfig(raw: Record<string, unknown>, file: string): Readonly<PreviewdConfig> {
  const config = parseConfig(raw);
  writeFileSync(file, stringify(raw));
  return config;
}
