import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { serviceConfigSchema, type ServiceConfig, parseClusterSettings, type ClusterSettings, type ClusterSettingsInput } from '../../../src/config';
import { createKubernetesActivities, KubeApi, kubeConfigTransport, type KubernetesActivities } from '../../../activities/kubernetes';
import { ARGOCD_NAMESPACE as ARGOCD_HOME } from '../../../src/dev/argocd';
import { harnessState, testKubeConfig } from '../../harness';
import type { PreviewActivities, PreviewMetricsActivities, PreviewRef } from '../../../workflows/contract';

// Every suite here runs against the harness's real Argo CD (application controller and
// repo-server, src/dev/argocd.ts) syncing the sample GitOps repository (test/argocd-apps).

/** Read when used, not at import: scripts (test/bench) import this before they start the harness. */
const argocd = () => harnessState().argocd;
export const ARGOCD_NAMESPACE = ARGOCD_HOME;

/**
 * Fails fast and retries quickly (production default: 2 retries from 5 s): a failed sync is
 * final within a few seconds, and a pushed fix is picked up by the next retry.
 */
export const TEST_SYNC_RETRY = { limit: 2, backoff: { duration: '1s', factor: 2, maxDuration: '4s' }, refresh: true };

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
    argocd: { namespace: argocd().namespace, project: argocd().project, destinationServer: argocd().destinationServer, syncRetry: TEST_SYNC_RETRY },
    domain: 'example.test',
    routes: { kind: 'HTTPRoute', gateway: { name: 'shared', namespace: 'gateway-system', sectionName: 'https' } },
    quota: { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '8', 'limits.memory': '16Gi' },
    imagePullSecret: { clusterSecretStore: 'previews', remoteKey: 'ghcr-pull', secretName: 'ghcr-pull' },
    bindings: [{ name: 'base-env', entries: { DATABASE_HOST: { service: 'postgres', port: 5432 } } }],
    timeouts: { pollIntervalMs: 100, readyMs: 60_000, applicationDeletionMs: 60_000, namespaceDeletionMs: 60_000 },
    ...overrides,
  };
}

/** Short timeouts and fast polling: the test cluster answers in milliseconds. */
export function testSettings(overrides: Partial<ClusterSettingsInput> = {}): ClusterSettings {
  return parseClusterSettings(testClusterInput(overrides));
}

/** A service deployed from the sample GitOps repository's app at `path` (helm, `image.tag` parameter). */
export function sampleSource(path: string, image = `registry.example.test/acme/${path}`): { repoURL: string; path: string; image: string } {
  return { repoURL: argocd().repoURL, path, image };
}

/**
 * Two services in two rollout phases, both healthy without pods (a ConfigMap and a Service each,
 * named after the service): `api` and the exposed `www`. `withWorkload` makes `api` a Deployment
 * of 2 replicas with requests (what cost reads), which needs the replica stand-in to get healthy.
 */
export function testServices(opts: { withWorkload?: boolean } = {}): ServiceConfig[] {
  return [
    serviceConfigSchema.parse({ name: 'api', phase: 610, source: sampleSource(opts.withWorkload ? 'workload' : 'web', 'registry.example.test/acme/api') }),
    serviceConfigSchema.parse({ name: 'www', phase: 650, expose: { port: 8080 }, dependsOn: ['api'], source: sampleSource('web') }),
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
}

export function kubeFixture(): KubeFixture {
  const kubeConfig = testKubeConfig();
  const api = new KubeApi(kubeConfigTransport(kubeConfig));
  return { api, activities: (settings) => createKubernetesActivities({ kubeConfig, settings }) };
}

/**
 * The lifecycle's activities with the real Kubernetes steps and nothing else: no GitHub (the
 * event stamps alone order events), every detected service chosen, no cost, images by tag.
 * `overrides` replace single ones (a recording reporter, a real cost).
 */
export function kubeOnlyActivities(k8s: KubernetesActivities, overrides: Partial<PreviewActivities> = {}): PreviewActivities & PreviewMetricsActivities {
  return {
    ensureNamespace: k8s.ensureNamespace,
    applyBaseline: k8s.applyBaseline,
    resolveImages: () => Promise.reject(new Error('images.mode is tag: no lock file is read')),
    deployApps: k8s.deployApps,
    waitReady: k8s.waitReady,
    checkReady: k8s.checkReady,
    teardown: k8s.teardown,
    teardownStep: k8s.teardownStep,
    chooseServices: (input) => Promise.resolve({ services: input.services.map((s) => s.name) }),
    computeCost: () => Promise.resolve({ currency: 'USD', perHour: 0, projectedToExpiry: 0 }),
    reportPreview: () => Promise.resolve(),
    readPullRequest: () => Promise.resolve({ configured: false }),
    readChecks: () => Promise.reject(new Error('no CI gate in these tests')),
    recordPreviewDuration: () => Promise.resolve(),
    ...overrides,
  };
}

/**
 * Stands in for the replicaset controller and the kubelet, which do not run here (no container
 * runtime): marks every ReplicaSet in `namespace` as having all its replicas available, so the
 * deployment controller reports its Deployment available and Argo CD reads it Healthy, as on a
 * cluster where the pods start.
 */
export function replicaStandIn(namespace: string, intervalMs = 200): { stop(): Promise<void> } {
  const transport = kubeConfigTransport(testKubeConfig());
  let running = true;
  const loop = (async () => {
    while (running) {
      const list = await transport({ method: 'GET', path: `/apis/apps/v1/namespaces/${namespace}/replicasets` }).catch(() => undefined);
      const items = ((list?.body as { items?: ReplicaSet[] } | undefined)?.items ?? []).filter((rs) => rs.status?.availableReplicas !== rs.spec.replicas);
      for (const rs of items) {
        const n = rs.spec.replicas;
        const status = { replicas: n, fullyLabeledReplicas: n, readyReplicas: n, availableReplicas: n, observedGeneration: rs.metadata.generation };
        await transport({ method: 'PATCH', path: `/apis/apps/v1/namespaces/${namespace}/replicasets/${rs.metadata.name}/status`, body: { status }, contentType: 'application/merge-patch+json' }).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

interface ReplicaSet {
  metadata: { name: string; generation?: number };
  spec: { replicas: number };
  status?: { availableReplicas?: number };
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
