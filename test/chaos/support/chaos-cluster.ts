import { repositoryConfigSchema, type RepositoryConfig, parseClusterSettings, type ClusterSettings, type ClusterSettingsInput } from '../../../src/config';
import { sampleSource, testClusterInput } from '../../integration/kubernetes/support';
import { namespaceNameFor, previewKeys } from '../../../src/kubernetes';
import type { PreviewRef } from '../../../workflows/contract';

// What every chaos scenario deploys: one repository of its own (a fresh key, so scenarios and
// the other test suites share the control plane without touching each other's objects), two
// services in two rollout phases from the sample GitOps repository (healthy without pods), the
// worker's cluster settings with fast polling. The harness's real Argo CD syncs them.

export { ARGOCD_NAMESPACE } from '../../integration/kubernetes/support';

/** Cluster settings as the worker's config file carries them; polling is fast unless told otherwise. */
export function chaosClusterConfig(pollIntervalMs = 250): ClusterSettingsInput {
  return testClusterInput({
    // Kills and faults stretch every wait: deadlines well past the retries they cause.
    timeouts: { pollIntervalMs, readyMs: 120_000, applicationDeletionMs: 120_000, namespaceDeletionMs: 180_000 },
  });
}

export interface ChaosRepository {
  readonly key: string;
  readonly config: RepositoryConfig;
  readonly settings: ClusterSettings;
  preview(pr: number): PreviewRef;
  namespace(pr: number): string;
  /** Selects every Application of this repository. */
  readonly applicationSelector: string;
  readonly labels: ReturnType<typeof previewKeys>;
}

export function chaosRepository(prefix: string): ChaosRepository {
  const key = `${prefix}${Math.random().toString(36).slice(2, 8)}`;
  const settings = parseClusterSettings(chaosClusterConfig());
  const config = repositoryConfigSchema.parse({
    fullName: `chaos/${key}`,
    key,
    scope: 'all',
    services: [
      { name: 'api', phase: 610, source: sampleSource('web', 'registry.example.test/chaos/api') },
      { name: 'www', phase: 650, expose: { port: 8080 }, dependsOn: ['api'], source: sampleSource('web', 'registry.example.test/chaos/www') },
    ],
  });
  const labels = previewKeys(settings);
  const preview = (pr: number): PreviewRef => ({ repository: config.fullName, repoKey: key, prNumber: pr });
  return {
    key,
    config,
    settings,
    preview,
    namespace: (pr) => namespaceNameFor(settings, preview(pr)),
    applicationSelector: `${labels.repo}=${key}`,
    labels,
  };
}
