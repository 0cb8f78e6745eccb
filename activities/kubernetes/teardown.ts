import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type PreviewRef, type TeardownInput, type TeardownResult, type TeardownStepResult } from '../../workflows/contract';
import { namespaceNameFor, previewSelector, refOf, routeKind, type KubeObject } from '../../src/kubernetes';
import { issueApplicationDeletes, previewApplications } from './preview-applications';
import { withApiFailures } from './api-failures';
import { pollUntil } from './heartbeat-poll';
import type { KubernetesActivityContext } from './kubernetes-activity-context';
import { readOwnedNamespace } from './namespace-guard';
import { recheckOf } from './recheck';

/**
 * Runs after the Applications and routes are gone and right before the namespace is deleted;
 * throwing keeps the namespace. The janitor re-confirms there that no workflow has taken the
 * namespace over while the Applications were being pruned.
 */
export type BeforeNamespaceDeletion = () => Promise<void>;

function describeStuck(app: KubeObject): string {
  const finalizers = app.metadata.finalizers?.join(', ') || 'none';
  return `Application ${app.metadata.namespace ?? ''}/${app.metadata.name} (deleting since ${app.metadata.deletionTimestamp ?? '?'}, finalizers: ${finalizers})`;
}

/** Deletes the Applications and waits them out. */
async function deleteApplications(ctx: KubernetesActivityContext, preview: PreviewRef, namespace: string): Promise<string[]> {
  const apps = await previewApplications(ctx, preview, namespace);
  await issueApplicationDeletes(ctx, apps);
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
  await Promise.all(routes.map((route) => ctx.api.delete(refOf(route))));
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

function namespaceConditions(ns: KubeObject): string {
  return JSON.stringify((ns.status as { conditions?: unknown[] } | undefined)?.conditions ?? []);
}

/**
 * One step of a teardown, in the order of `teardown` below, without waiting: deletes what is
 * not being deleted yet and says what is left. Idempotent, so the workflow simply calls it
 * again after a durable timer (or a cluster watch's wake-up) until the stage is `gone`; the
 * workflow keeps the stage deadlines in its own time and reports TeardownStuck past them.
 */
export function teardownStep(ctx: KubernetesActivityContext, input: TeardownInput): Promise<TeardownStepResult> {
  return withApiFailures(async () => {
    const namespace = namespaceNameFor(ctx.settings, input.preview);
    const recheck = recheckOf(ctx.settings);
    const { applicationDeletionMs, namespaceDeletionMs } = ctx.settings.timeouts;
    const existing = await readOwnedNamespace(ctx, namespace);
    const base = { namespace, namespaceExisted: existing !== undefined, recheck };
    const apps = await previewApplications(ctx, input.preview, namespace);
    await issueApplicationDeletes(ctx, apps);
    const left = apps.length === 0 ? apps : await previewApplications(ctx, input.preview, namespace);
    if (left.length > 0) {
      const detail = `${left.map(describeStuck).join('; ')}; Argo CD has not finished pruning (is its application controller running?), the namespace is left in place`;
      return { ...base, stage: 'applications', waitingFor: left.map((a) => a.metadata.name), detail, namespaceDeletionIssued: false, stuckAfterMs: applicationDeletionMs };
    }
    if (!existing) return { ...base, stage: 'gone', waitingFor: [], namespaceDeletionIssued: false, stuckAfterMs: 0 };
    const issue = !existing.metadata.deletionTimestamp;
    if (issue) {
      await deleteRoutes(ctx, input.preview, namespace);
      await ctx.api.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, 'Background');
    }
    return { ...base, stage: 'namespace', waitingFor: [namespace], detail: `conditions: ${namespaceConditions(existing)}`, namespaceDeletionIssued: issue, stuckAfterMs: namespaceDeletionMs };
  });
}

/**
 * Applications first (their finalizer prunes what Argo CD deployed), then routes (detaching
 * from the shared Gateway at once), then the namespace, waiting until it is really gone. A
 * rerun after success finds nothing and succeeds; every wait has a deadline. Holds a worker
 * slot while it waits: the janitor and runs started before the `workflow-level-waits` patch
 * use it; the lifecycle's newer runs go through `teardownStep`.
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
