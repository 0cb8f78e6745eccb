import type { PreviewRef } from '../../workflows/contract';
import { previewSelector, refOf, type KubeObject } from '../../src/kubernetes';
import type { KubernetesActivityContext } from './kubernetes-activity-context';

// The Argo CD Applications previewd made for one preview: what teardown and a round's prune
// may delete, and nothing else.

/** Selected by previewd's ownership labels of this preview; the destination confirms. */
export async function previewApplications(ctx: KubernetesActivityContext, preview: PreviewRef, namespace: string): Promise<KubeObject[]> {
  const apps = await ctx.api.list('argoproj.io/v1alpha1', 'Application', {
    namespace: ctx.settings.argocd.namespace,
    labelSelector: previewSelector(ctx.settings, preview),
  });
  // Labels select; the destination confirms. An Application aimed elsewhere is never deleted.
  return apps.filter((a) => (a.spec as { destination?: { namespace?: string } } | undefined)?.destination?.namespace === namespace);
}

/** Deletes (foreground, so Argo CD's finalizer prunes first) those not being deleted yet. */
export async function issueApplicationDeletes(ctx: KubernetesActivityContext, apps: readonly KubeObject[]): Promise<void> {
  await Promise.all(apps.filter((app) => !app.metadata.deletionTimestamp).map((app) => ctx.api.delete(refOf(app), 'Foreground')));
}
