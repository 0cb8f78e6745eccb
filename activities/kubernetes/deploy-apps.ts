import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type DeployAppsInput, type DeployAppsResult, type DeployedApp } from '../../workflows/contract';
import {
  applicationName,
  buildApplication,
  buildRoutes,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  namespaceNameFor,
  operationPending,
  previewKeys,
  previewSelector,
  refOf,
  routeKind,
  syncOperationPatch,
  type KubeObject,
} from '../../src/kubernetes';
import { withApiFailures } from './api-failures';
import type { KubernetesActivityContext } from './kubernetes-activity-context';
import { requireWritableNamespace } from './namespace-guard';
import { issueApplicationDeletes, previewApplications } from './preview-applications';

/** The Application previewd applied before under this name, if any; refuses one it does not own. */
async function assertApplicationIsOurs(ctx: KubernetesActivityContext, name: string): Promise<KubeObject | undefined> {
  const existing = await ctx.api.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name, namespace: ctx.settings.argocd.namespace });
  if (!existing) return undefined;
  if (existing.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) {
    throw ApplicationFailure.nonRetryable(`refusing to overwrite Application ${name}: it is not managed by previewd`, FailureType.ForeignApplication);
  }
  if (existing.metadata.deletionTimestamp) {
    // Argo CD is still pruning a previous incarnation; applying now would race its finalizer.
    throw ApplicationFailure.retryable(`Application ${name} is still being deleted; retrying until it is gone`, FailureType.KubernetesConflict);
  }
  return existing;
}

/**
 * An explicit sync of an existing Application, unless one is already under way (a new
 * Application, or one whose spec changed, is synced by Argo CD's automated sync anyway).
 */
async function requestSync(ctx: KubernetesActivityContext, app: KubeObject): Promise<void> {
  if (operationPending(app)) return;
  // resourceVersion makes the patch conditional: if Argo CD started an operation since `app` was
  // read, the API server answers 409 and the activity's retry finds that operation instead of
  // replacing it.
  const patch = { ...syncOperationPatch(ctx.settings, app), metadata: { resourceVersion: app.metadata.resourceVersion } };
  await ctx.api.mergePatch({ apiVersion: app.apiVersion, kind: app.kind, namespace: app.metadata.namespace, name: app.metadata.name }, patch);
}

/**
 * Deletes this preview's Applications and routes of services not in `keep` (foreground: Argo
 * CD's finalizer prunes what they deployed). Only objects carrying previewd's ownership labels
 * of this preview and a service label are considered; an Application aimed at another
 * namespace is never touched. Returns the services whose Applications are being deleted.
 */
async function pruneDeselected(ctx: KubernetesActivityContext, input: DeployAppsInput, namespace: string, keep: readonly string[]): Promise<string[]> {
  const serviceKey = previewKeys(ctx.settings).service;
  const kept = new Set(keep);
  const deselected = (obj: KubeObject): boolean => {
    const service = obj.metadata.labels?.[serviceKey];
    return service !== undefined && !kept.has(service);
  };
  const apps = (await previewApplications(ctx, input.preview, namespace)).filter(deselected);
  await issueApplicationDeletes(ctx, apps);
  const kind = routeKind(ctx.settings);
  if (kind) {
    const routes = await ctx.api.list(kind.apiVersion, kind.kind, { namespace, labelSelector: previewSelector(ctx.settings, input.preview) });
    await Promise.all(routes.filter(deselected).map((route) => ctx.api.delete(refOf(route))));
  }
  return apps.map((app) => app.metadata.labels?.[serviceKey] as string).sort();
}

/** Applies one Argo CD Application per service of the phase, and the routes of exposed ones. */
export function deployApps(ctx: KubernetesActivityContext, input: DeployAppsInput): Promise<DeployAppsResult> {
  return withApiFailures(async () => {
    const namespace = namespaceNameFor(ctx.settings, input.preview);
    await requireWritableNamespace(ctx, namespace);
    const services = input.services.filter((s) => input.phase === undefined || s.phase === input.phase);
    const applications: DeployedApp[] = [];
    for (const service of services) {
      const name = applicationName(ctx.settings, input.preview, service.name);
      const existing = await assertApplicationIsOurs(ctx, name);
      const applied = await ctx.api.apply(buildApplication(ctx.settings, input.preview, service, { headSha: input.headSha, image: input.images?.[service.name] }));
      if (input.requestSync && existing) await requestSync(ctx, applied);
      applications.push({ service: service.name, application: name, phase: service.phase });
    }
    const routes = buildRoutes(ctx.settings, input.preview, services);
    for (const route of routes) if (route.object) await ctx.api.apply(route.object);
    const pruned = input.keep ? await pruneDeselected(ctx, input, namespace, input.keep) : undefined;
    return { namespace, applications, routes: routes.map(({ service, url, object }) => ({ service, url, awaitsAcceptance: object !== undefined })), ...(pruned && { pruned }) };
  });
}
