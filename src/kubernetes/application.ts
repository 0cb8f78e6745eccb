import type { ImageSelector, PreviewRef, ServiceReadiness, ServiceReadinessState } from '../../workflows/contract';
import type { ClusterSettings } from '../config/cluster';
import type { ServiceConfig } from '../config/repository';
import { boundedName, headShaLabel, namespaceNameFor, ownershipLabels, previewKeys } from './namespace';
import type { KubeObject } from './objects';

// The apps tier: one Argo CD Application per service, and its readiness for the desired head.

export const ARGOCD_RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

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

/** `<image>:<tag>` or `<image>@<digest>`: a Kustomize `images` override, and how the annotation records it. */
function imageOverride(image: string, ref: { kind: 'tag' | 'digest'; value: string }): string {
  return ref.kind === 'tag' ? `${image}:${ref.value}` : `${image}@${ref.value}`;
}

/**
 * Where the PR's image goes. Helm: the configured parameter receives the tag or digest as a
 * string (`forceString`, so an all-digit short SHA stays a string). Kustomize: an `images`
 * override. A PR bundle (seed 000 Option A) is rendered at the head SHA itself, with the
 * override only when the operator named the image it carries.
 */
function renderSource(service: ServiceConfig, image: ImageSelector, headSha: string): Record<string, unknown> {
  const source = service.source;
  const ref = imageReference(image);
  if (source.type === 'prBundle') {
    const bundle = { repoURL: source.repoURL, path: source.path, targetRevision: headSha };
    return source.image === undefined ? bundle : { ...bundle, kustomize: { images: [imageOverride(source.image, ref)] } };
  }
  const base = { repoURL: source.repoURL, path: source.path, targetRevision: source.targetRevision };
  if (source.renderer === 'kustomize') return { ...base, kustomize: { images: [imageOverride(source.image, ref)] } };
  return {
    ...base,
    helm: { releaseName: service.name, parameters: [{ name: source.imageTagParameter, value: ref.value, forceString: true }] },
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
  const imageName = service.source.image;
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
        ...(imageName !== undefined && { [keys.image]: imageOverride(imageName, imageReference(image)) }),
      },
      finalizers: [ARGOCD_RESOURCES_FINALIZER],
    },
    spec: {
      project: settings.argocd.project,
      source: renderSource(service, image, deployment.headSha),
      destination: { server: settings.argocd.destinationServer, namespace: namespaceNameFor(settings, preview) },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: syncOptions(settings),
        retry: settings.argocd.syncRetry,
      },
    },
  };
}

function syncOptions(settings: ClusterSettings): string[] {
  return ['FailOnSharedResource=true', 'PruneLast=true', `PrunePropagationPolicy=${settings.argocd.prunePropagationPolicy}`];
}

/** Who previewd's explicit sync operations are initiated by, as Argo CD records it. */
export const SYNC_INITIATOR = 'previewd';

/**
 * An explicit sync of the Application's current spec, as a merge patch of `operation`. Argo CD's
 * automated sync never retries a revision and parameters whose last sync failed (its docs,
 * auto_sync.md), so `/preview redeploy` after a failed sync must ask for one: the same request
 * the Argo CD CLI and UI write. The sync options and retry must be repeated here, since Argo CD
 * applies only the operation's own (FailOnSharedResource included).
 */
export function syncOperationPatch(settings: ClusterSettings, app: KubeObject): Record<string, unknown> {
  const targetRevision = ((app.spec as AppSpec | undefined)?.source as { targetRevision?: string } | undefined)?.targetRevision;
  return {
    operation: {
      initiatedBy: { username: SYNC_INITIATOR },
      sync: { revision: targetRevision || 'HEAD', prune: true, syncOptions: syncOptions(settings) },
      retry: settings.argocd.syncRetry,
    },
  };
}

/** True while Argo CD has an operation to start or finish (`operation` is cleared when it completes). */
export function operationPending(app: KubeObject): boolean {
  return (app as { operation?: unknown }).operation != null;
}

// Argo CD status lags spec: after previewd applies a new head SHA, the Application still
// reports "Synced/Healthy" for the *previous* source until the controller compares again.
// Ready therefore means Synced + Healthy *for the source in spec*, which status records in
// `status.sync.comparedTo`; colours alone never read as ready.

export interface ExpectedApplication {
  readonly service: string;
  readonly application: string;
  readonly headSha: string;
  /** Label key that carries the head SHA on the Application. */
  readonly headShaLabelKey: string;
  readonly headShaLabel: string;
}

interface AppStatus {
  sync?: { status?: string; revision?: string; comparedTo?: { source?: unknown; destination?: unknown } };
  health?: { status?: string; message?: string };
  operationState?: {
    phase?: string;
    message?: string;
    operation?: { sync?: { revision?: string } };
    syncResult?: { revision?: string; source?: unknown; resources?: { kind?: string; namespace?: string; name?: string; status?: string; message?: string }[] };
  };
  conditions?: { type?: string; message?: string }[];
  resources?: { kind?: string; name?: string; health?: { status?: string; message?: string } }[];
}

interface AppSpec {
  source?: unknown;
  destination?: unknown;
}

/** Drops what Argo CD omits when it echoes a source (empty strings, false, empty lists and maps). */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, normalize(v)] as const)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  if (value === null || value === '' || value === false) return undefined;
  return value;
}

export function sameSource(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

const FULL_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function state(expected: ExpectedApplication, value: ServiceReadinessState, status: AppStatus, message?: string, terminal = false): ServiceReadiness {
  return {
    service: expected.service,
    application: expected.application,
    state: value,
    syncStatus: status.sync?.status,
    healthStatus: status.health?.status,
    revision: status.sync?.revision,
    message,
    terminal,
  };
}

/** Per-resource health, where Argo CD stores it (2.x; 3.x only with --persist-resource-health). */
function degradedResources(status: AppStatus): string | undefined {
  const bad = (status.resources ?? []).filter((r) => r.health?.status === 'Degraded');
  if (bad.length === 0) return undefined;
  return bad.map((r) => `${r.kind ?? '?'}/${r.name ?? '?'}: ${r.health?.message ?? 'Degraded'}`).join('; ');
}

/**
 * A failed sync is final only if it was a sync of what Argo CD now wants to deploy: the same
 * source (parameters) and the same commit. A failure of an older commit is not: Argo CD's
 * automated sync (or its retry with `refresh`) syncs the newer commit next, e.g. a pushed fix.
 */
function failedOperationForDesired(spec: AppSpec, status: AppStatus, comparedToDesired: boolean): boolean {
  const op = status.operationState;
  if (!op || (op.phase !== 'Failed' && op.phase !== 'Error')) return false;
  const current = status.sync?.revision;
  const attempted = op.syncResult?.revision ?? op.operation?.sync?.revision;
  if (current !== undefined && FULL_SHA.test(attempted ?? '') && attempted !== current) return false;
  if (op.syncResult?.source !== undefined) return sameSource(op.syncResult.source, spec.source);
  return comparedToDesired && (attempted ?? '') === (current ?? '');
}

/**
 * Argo CD's operation message for a failed sync is generic ("one or more objects failed to
 * apply"); the objects' own results say which and why (a refused namespace, a forbidden kind).
 */
function failedSyncMessage(status: AppStatus): string {
  const op = status.operationState;
  const failed = (op?.syncResult?.resources ?? []).filter((r) => r.status === 'SyncFailed' && r.message);
  // kubectl's messages span lines (and name a temp file); a status line or PR comment wants one.
  const objects = failed.map((r) => `${r.kind ?? '?'} ${r.namespace ? `${r.namespace}/` : ''}${r.name ?? '?'}: ${(r.message ?? '').replace(/\s+/g, ' ').trim()}`);
  return [`sync ${op?.phase ?? 'Failed'}: ${op?.message ?? 'no message'}`, ...objects].join('; ');
}

/** The readiness of one Application for the desired head SHA and source. */
export function applicationReadiness(expected: ExpectedApplication, app: KubeObject | undefined): ServiceReadiness {
  if (!app) return state(expected, 'Missing', {}, `Application ${expected.application} does not exist`);
  const spec = (app.spec ?? {}) as AppSpec;
  const status = (app.status ?? {}) as AppStatus;
  if (app.metadata.deletionTimestamp) return state(expected, 'Degraded', status, `Application ${expected.application} is being deleted`);
  if (app.metadata.labels?.[expected.headShaLabelKey] !== expected.headShaLabel) {
    return state(expected, 'Progressing', status, `Application spec is not at head ${expected.headSha} yet`);
  }
  const comparedTo = status.sync?.comparedTo;
  const comparedToDesired = comparedTo !== undefined && sameSource(comparedTo.source, spec.source) && sameSource(comparedTo.destination, spec.destination);
  // A requested sync that Argo CD has not finished: the last operation's result is history.
  if (operationPending(app) && status.operationState?.phase !== 'Running') {
    return state(expected, 'Progressing', status, 'sync requested; waiting for Argo CD to start it');
  }
  if (failedOperationForDesired(spec, status, comparedToDesired)) {
    return state(expected, 'Degraded', status, failedSyncMessage(status), true);
  }
  const errors = (status.conditions ?? []).filter((c) => c.type?.endsWith('Error'));
  if (errors.length > 0) return state(expected, 'Degraded', status, errors.map((c) => `${c.type}: ${c.message ?? ''}`).join('; '));
  if (!comparedToDesired) return state(expected, 'Progressing', status, 'Argo CD has not compared the desired source yet (status.sync.comparedTo is stale)');
  const targetRevision = (spec.source as { targetRevision?: string } | undefined)?.targetRevision ?? '';
  if (FULL_SHA.test(targetRevision) && status.sync?.revision !== targetRevision) {
    return state(expected, 'Progressing', status, `synced revision ${status.sync?.revision ?? '<none>'} is not ${targetRevision}`);
  }
  if (status.operationState?.phase === 'Running') return state(expected, 'Progressing', status, status.operationState.message ?? 'sync running');
  const health = status.health?.status;
  if (health === 'Degraded') {
    return state(expected, 'Degraded', status, degradedResources(status) ?? status.health?.message ?? 'health Degraded');
  }
  if (status.sync?.status !== 'Synced') return state(expected, 'Progressing', status, `sync status ${status.sync?.status ?? '<none>'}`);
  if (health !== 'Healthy') return state(expected, 'Progressing', status, `health ${health ?? '<none>'}`);
  return state(expected, 'Ready', status);
}
