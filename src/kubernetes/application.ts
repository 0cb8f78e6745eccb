import type { ServiceConfig } from '../config';
import { boundedName } from './bounded-name';
import type { ClusterSettings } from './cluster-settings';
import type { KubeObject } from './kube-object';
import { headShaLabel, ownershipLabels, previewKeys } from './labels';
import { namespaceNameFor } from './namespace';
import type { PreviewRef } from './preview-ref';

export const ARGOCD_RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** What the preview runs: the PR head as image tag, or a pinned digest (seed 000 prefers digests). */
export type ImageSelector = { readonly tag: string } | { readonly digest: string };

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;

export interface AppDeployment {
  readonly headSha: string;
  /** Defaults to `{ tag: headSha }`. */
  readonly image?: ImageSelector;
}

/** Unique per PR and service: `<namespace>-<service>`, hashed down to 63 characters when longer. */
export function applicationName(settings: Pick<ClusterSettings, 'namespacePrefix'>, preview: PreviewRef, service: string): string {
  return boundedName([namespaceNameFor(settings, preview), service]);
}

function imageReference(image: ImageSelector): { kind: 'tag' | 'digest'; value: string } {
  if ('digest' in image) {
    if (!DIGEST.test(image.digest)) throw new Error(`invalid image digest ${JSON.stringify(image.digest)}`);
    return { kind: 'digest', value: image.digest };
  }
  if (!TAG.test(image.tag)) throw new Error(`invalid image tag ${JSON.stringify(image.tag)}`);
  return { kind: 'tag', value: image.tag };
}

/**
 * Where the PR's image goes. Helm: the configured parameter receives the tag or digest as a
 * string (`forceString`, so an all-digit short SHA stays a string). Kustomize: an `images`
 * override, `<image>:<tag>` or `<image>@<digest>`.
 */
function renderSource(service: ServiceConfig, image: ImageSelector): Record<string, unknown> {
  const { repoURL, path, targetRevision, renderer } = service.source;
  const ref = imageReference(image);
  const base = { repoURL, path, targetRevision };
  if (renderer === 'kustomize') {
    const override = ref.kind === 'tag' ? `${service.source.image}:${ref.value}` : `${service.source.image}@${ref.value}`;
    return { ...base, kustomize: { images: [override] } };
  }
  return {
    ...base,
    helm: { releaseName: service.name, parameters: [{ name: service.source.imageTagParameter, value: ref.value, forceString: true }] },
  };
}

/**
 * One Argo CD Application per service. Project, destination server and namespace come from
 * operator settings and the derived namespace name only. The finalizer makes deletion
 * cascade the prune; `FailOnSharedResource` stops a preview from adopting another's objects.
 */
export function buildApplication(settings: ClusterSettings, preview: PreviewRef, service: ServiceConfig, deployment: AppDeployment): KubeObject {
  const keys = previewKeys(settings);
  const image = deployment.image ?? { tag: deployment.headSha };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: applicationName(settings, preview, service.name),
      namespace: settings.argocd.namespace,
      labels: {
        ...ownershipLabels(settings, preview),
        [keys.service]: service.name,
        [keys.rolloutPhase]: String(service.phase),
        [keys.headSha]: headShaLabel(deployment.headSha),
      },
      annotations: {
        [keys.repository]: preview.repository,
        [keys.headSha]: deployment.headSha,
        [keys.image]: 'digest' in image ? `${service.source.image}@${image.digest}` : `${service.source.image}:${image.tag}`,
      },
      finalizers: [ARGOCD_RESOURCES_FINALIZER],
    },
    spec: {
      project: settings.argocd.project,
      source: renderSource(service, image),
      destination: { server: settings.argocd.destinationServer, namespace: namespaceNameFor(settings, preview) },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['FailOnSharedResource=true', 'PruneLast=true', `PrunePropagationPolicy=${settings.argocd.prunePropagationPolicy}`],
      },
    },
  };
}
