import type { ClusterSettings } from '../config/cluster';
import type { RepositoryConfig } from '../config/repository';
import { buildBaseline, namespaceNameFor, previewSelector, routeKind, type KubeObject, type ObjectRef } from '../kubernetes';
import type { PreviewRef, PreviewStatus } from '../../workflows/contract';
import type { PreviewFacts } from './preview-checks';

// Reads what the verification plan looks at, with previewd's own read rights: the namespace,
// each baseline object previewd applies, the preview's Applications and routes, the target
// Secrets of its ExternalSecrets (existence only: the data is dropped here), the AppProject.

/** The reads it needs (activities/kubernetes KubeApi has them). */
export interface KubeReader {
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, opts?: { namespace?: string; labelSelector?: string }): Promise<KubeObject[]>;
}

export interface FactsRequest {
  readonly settings: ClusterSettings;
  readonly repository: RepositoryConfig;
  readonly preview: PreviewRef;
  readonly status: PreviewStatus | { readonly unavailable: string };
}

function refTo(obj: KubeObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
}

async function secretsPresent(kube: KubeReader, namespace: string, baseline: readonly KubeObject[]): Promise<Map<string, boolean>> {
  const targets = baseline.filter((o) => o.kind === 'ExternalSecret').map((o) => (o.spec as { target?: { name?: string } } | undefined)?.target?.name ?? o.metadata.name);
  const found = await Promise.all(targets.map(async (name) => [name, (await kube.get({ apiVersion: 'v1', kind: 'Secret', namespace, name })) !== undefined] as const));
  return new Map(found);
}

export async function gatherFacts(kube: KubeReader, request: FactsRequest): Promise<PreviewFacts> {
  const { settings, preview } = request;
  const name = namespaceNameFor(settings, preview);
  const namespace = await kube.get({ apiVersion: 'v1', kind: 'Namespace', name });
  const expected = buildBaseline(settings, preview);
  const live = namespace ? await Promise.all(expected.map((o) => kube.get(refTo(o)))) : [];
  const selector = previewSelector(settings, preview);
  const kind = routeKind(settings);
  const [applications, routes, project, secrets] = await Promise.all([
    kube.list('argoproj.io/v1alpha1', 'Application', { namespace: settings.argocd.namespace, labelSelector: selector }),
    kind && namespace ? kube.list(kind.apiVersion, kind.kind, { namespace: name, labelSelector: selector }) : Promise.resolve([]),
    kube.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', namespace: settings.argocd.namespace, name: settings.argocd.project }),
    namespace ? secretsPresent(kube, name, expected) : Promise.resolve(new Map<string, boolean>()),
  ]);
  return {
    ...request,
    namespace,
    baseline: expected.map((o, i) => ({ expected: o, live: live[i] })),
    applications,
    secretsPresent: secrets,
    routes,
    project,
  };
}
