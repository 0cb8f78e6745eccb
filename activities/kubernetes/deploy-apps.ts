import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type DeployAppsInput, type DeployAppsResult, type DeployedApp } from '../../workflows/contract';
import { applicationName, buildApplication, buildRoutes, MANAGED_BY_LABEL, MANAGED_BY_VALUE, namespaceNameFor } from '../../src/kubernetes';
import { withApiFailures } from './api-failures';
import type { KubernetesActivityContext } from './kubernetes-activity-context';
import { requireWritableNamespace } from './namespace-guard';

async function assertApplicationIsOurs(ctx: KubernetesActivityContext, name: string): Promise<void> {
  const existing = await ctx.api.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name, namespace: ctx.settings.argocd.namespace });
  if (!existing) return;
  if (existing.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) {
    throw ApplicationFailure.nonRetryable(`refusing to overwrite Application ${name}: it is not managed by previewd`, FailureType.ForeignApplication);
  }
  if (existing.metadata.deletionTimestamp) {
    // Argo CD is still pruning a previous incarnation; applying now would race its finalizer.
    throw ApplicationFailure.retryable(`Application ${name} is still being deleted; retrying until it is gone`, FailureType.KubernetesConflict);
  }
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
      await assertApplicationIsOurs(ctx, name);
      await ctx.api.apply(buildApplication(ctx.settings, input.preview, service, { headSha: input.headSha, image: input.images?.[service.name] }));
      applications.push({ service: service.name, application: name, phase: service.phase });
    }
    const routes = buildRoutes(ctx.settings, input.preview, services);
    for (const route of routes) if (route.object) await ctx.api.apply(route.object);
    return { namespace, applications, routes: routes.map(({ service, url }) => ({ service, url })) };
  });
}
