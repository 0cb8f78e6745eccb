import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { serviceConfigSchema, type ServiceConfig, parseClusterSettings, type ClusterSettings, type ClusterSettingsInput } from '../../../src/config';
import { createKubernetesActivities, KubeApi, kubeConfigTransport, KubernetesApiError, type KubernetesActivities } from '../../../activities/kubernetes';
import { ArgoCdDouble, type ArgoCdDoubleOptions } from '../../argocd-double';
import { testKubeConfig } from '../../harness';
import type { PreviewRef } from '../../../workflows/contract';

export const ARGOCD_NAMESPACE = 'argocd';

export const sha = (seed: string): string => seed.repeat(40).slice(0, 40);

/** A preview of a repository key no other test uses, so tests can share the control plane. */
export function uniquePreview(): PreviewRef {
  const key = `t${Math.random().toString(36).slice(2, 10)}`;
  return { repository: `acme/${key}`, repoKey: key, prNumber: 1 + Math.floor(Math.random() * 100_000) };
}

/** The cluster settings every suite on the test control plane uses, as config carries them. */
export function testClusterInput(overrides: Partial<ClusterSettingsInput> = {}): ClusterSettingsInput {
  return {
    labelDomain: 'previewd.test',
    baseEnvironment: { name: 'dev', namespace: 'dev', label: 'previewd.test/environment' },
    domain: 'example.test',
    routes: { kind: 'HTTPRoute', gateway: { name: 'shared', namespace: 'gateway-system', sectionName: 'https' } },
    // Quota keys the test cluster can admit without a resourcequota controller (see README of the double).
    quota: { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '8', 'limits.memory': '16Gi' },
    imagePullSecret: { clusterSecretStore: 'previews', remoteKey: 'ghcr-pull', secretName: 'ghcr-pull' },
    bindings: [{ name: 'base-env', entries: { DATABASE_HOST: { service: 'postgres', port: 5432 } } }],
    timeouts: { pollIntervalMs: 100, readyMs: 20_000, applicationDeletionMs: 20_000, namespaceDeletionMs: 60_000 },
    ...overrides,
  };
}

/** Short timeouts and fast polling: the test cluster answers in milliseconds. */
export function testSettings(overrides: Partial<ClusterSettingsInput> = {}): ClusterSettings {
  return parseClusterSettings(testClusterInput(overrides));
}

export function testServices(): ServiceConfig[] {
  const source = (name: string) => ({ repoURL: 'https://git.example.test/gitops.git', path: `apps/${name}`, image: `ghcr.example.test/acme/${name}` });
  return [
    serviceConfigSchema.parse({ name: 'api', phase: 610, source: source('api') }),
    serviceConfigSchema.parse({ name: 'www', phase: 650, expose: { port: 8080 }, dependsOn: ['api'], source: source('www') }),
  ];
}

// Expected failures are asserted on; the environment's WARN log of each would only be noise.
const quiet = new DefaultLogger('ERROR');

/** Runs an activity in a real activity Context (heartbeats, cancellation-aware sleep). */
export function runActivity<I, O>(fn: (input: I) => Promise<O>, input: I): Promise<O> {
  return new MockActivityEnvironment(undefined, { logger: quiet }).run(fn, input);
}

export interface KubeFixture {
  readonly api: KubeApi;
  activities(settings: ClusterSettings): KubernetesActivities;
  double(namespace: string, opts?: Partial<ArgoCdDoubleOptions>): ArgoCdDouble;
}

export async function kubeFixture(): Promise<KubeFixture> {
  const kubeConfig = testKubeConfig();
  const api = new KubeApi(kubeConfigTransport(kubeConfig));
  await ensureArgoCdNamespace(api);
  return {
    api,
    activities: (settings) => createKubernetesActivities({ kubeConfig, settings }),
    double: (namespace, opts = {}) => new ArgoCdDouble({ api, argocdNamespace: ARGOCD_NAMESPACE, destinationNamespace: namespace, ...opts }),
  };
}

async function ensureArgoCdNamespace(api: KubeApi): Promise<void> {
  try {
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ARGOCD_NAMESPACE } });
  } catch (err) {
    if (!(err instanceof KubernetesApiError && err.code === 409)) throw err;
  }
}

/** The rejection of a promise (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}
