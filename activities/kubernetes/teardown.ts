import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type PreviewRef, type TeardownInput, type TeardownResult } from '../../workflows/contract';
import { namespaceNameFor, previewSelector, refOf, routeKind, type KubeObject } from '../../src/kubernetes';
import { withApiFailures } from './api-failures';
import { pollUntil } from './heartbeat-poll';
import type { KubernetesActivityContext } from './kubernetes-activity-context';
import { readOwnedNamespace } from './namespace-guard';

/**
 * Runs after the Applications and routes are gone and right before the namespace is deleted;
 * throwing keeps the namespace. The janitor re-confirms there that no workflow has taken the
 * namespace over while the Applications were being pruned.
 */
export type BeforeNamespaceDeletion = () => Promise<void>;

async function previewApplications(ctx: KubernetesActivityContext, preview: PreviewRef, namespace: string): Promise<KubeObject[]> {
  const apps = await ctx.api.list('argoproj.io/v1alpha1', 'Application', {
    namespace: ctx.settings.argocd.namespace,
    labelSelector: previewSelector(ctx.settings, preview),
  });
  // Labels select; the destination confirms. An Application aimed elsewhere is never deleted.
  return apps.filter((a) => (a.spec as { destination?: { namespace?: string } } | undefined)?.destination?.namespace === namespace);
}

function describeStuck(app: KubeObject): string {
  const finalizers = app.metadata.finalizers?.join(', ') || 'none';
  return `Application ${app.metadata.namespace ?? ''}/${app.metadata.name} (deleting since ${app.metadata.deletionTimestamp ?? '?'}, finalizers: ${finalizers})`;
}

/** Deletes the Applications (foreground, so Argo CD's finalizer prunes first) and waits them out. */
async function deleteApplications(ctx: KubernetesActivityContext, preview: PreviewRef, namespace: string): Promise<string[]> {
  const apps = await previewApplications(ctx, preview, namespace);
  for (const app of apps) if (!app.metadata.deletionTimestamp) await ctx.api.delete(refOf(app), 'Foreground');
  const timeoutMs = ctx.settings.timeouts.applicationDeletionMs;
  let left: KubeObject[] = apps;
  const step = await pollUntil(ctx.clock, { intervalMs: ctx.settings.timeouts.pollIntervalMs, timeoutMs }, async () => {
    left = await previewApplications(ctx, preview, namespace);
    // Heartbeat names only: details are stored with the activity and should stay small.
    return left.length === 0 ? { done: true, value: undefined } : { done: false, progress: { waitingFor: left.map((a) => a.metadata.name) } };
  });
  if (!step.done) {
    throw ApplicationFailure.nonRetryable(
      `teardown of ${namespace} stuck: ${left.map(describeStuck).join('; ')} still present ${timeoutMs} ms after deletion. ` +
        'Argo CD has not finished pruning (is its application controller running?); the namespace was left in place.',
      FailureType.TeardownStuck,
      left.map((a) => a.metadata.name),
    );
  }
  return apps.map((a) => a.metadata.name);
}

async function deleteRoutes(ctx: KubernetesActivityContext, preview: PreviewRef, namespace: string): Promise<string[]> {
  const kind = routeKind(ctx.settings);
  if (!kind) return [];
  const routes = await ctx.api.list(kind.apiVersion, kind.kind, { namespace, labelSelector: previewSelector(ctx.settings, preview) });
  for (const route of routes) await ctx.api.delete(refOf(route));
  return routes.map((r) => `${kind.kind}/${r.metadata.name}`);
}

async function deleteNamespace(ctx: KubernetesActivityContext, namespace: string): Promise<void> {
  const ref = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
  await ctx.api.delete(ref, 'Background');
  const timeoutMs = ctx.settings.timeouts.namespaceDeletionMs;
  const step = await pollUntil(ctx.clock, { intervalMs: ctx.settings.timeouts.pollIntervalMs, timeoutMs }, async () => {
    const ns = await ctx.api.get(ref);
    return ns ? { done: false, progress: (ns.status as { conditions?: unknown[] } | undefined)?.conditions ?? [] } : { done: true, value: undefined };
  });
  if (!step.done) {
    throw ApplicationFailure.nonRetryable(
      `teardown stuck: namespace ${namespace} still present ${timeoutMs} ms after deletion; conditions: ${JSON.stringify(step.progress)}`,
      FailureType.TeardownStuck,
    );
  }
}

/**
 * Applications first (their finalizer prunes what Argo CD deployed), then routes (detaching
 * from the shared Gateway at once), then the namespace, waiting until it is really gone. A
 * rerun after success finds nothing and succeeds; every wait has a deadline.
 */
export function teardown(ctx: KubernetesActivityContext, input: TeardownInput, beforeNamespaceDeletion?: BeforeNamespaceDeletion): Promise<TeardownResult> {
  return withApiFailures(async () => {
    const started = ctx.clock.now();
    const namespace = namespaceNameFor(ctx.settings, input.preview);
    const existing = await readOwnedNamespace(ctx, namespace);
    const deletedApplications = await deleteApplications(ctx, input.preview, namespace);
    const deletedRoutes = existing ? await deleteRoutes(ctx, input.preview, namespace) : [];
    if (existing) {
      await beforeNamespaceDeletion?.();
      await deleteNamespace(ctx, namespace);
    }
    return { namespace, deletedApplications, deletedRoutes, namespaceDeleted: existing !== undefined, durationMs: ctx.clock.now() - started };
  });
}
