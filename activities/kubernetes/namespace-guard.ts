import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../workflows/contract';
import { foreignNamespaceReason, type KubeObject } from '../../src/kubernetes';
import type { KubernetesActivityContext } from './kubernetes-activity-context';

/**
 * The preview namespace if it exists, refusing (non-retryably) one that previewd does not own,
 * whatever the caller asked: this check is what keeps a mis-keyed repository or a hand-made
 * namespace from being written into or deleted.
 */
export async function readOwnedNamespace(ctx: KubernetesActivityContext, name: string): Promise<KubeObject | undefined> {
  const ns = await ctx.api.get({ apiVersion: 'v1', kind: 'Namespace', name });
  if (!ns) return undefined;
  const reason = foreignNamespaceReason(ctx.settings, ns);
  if (reason) throw ApplicationFailure.nonRetryable(`refusing to touch ${reason}`, FailureType.ForeignNamespace);
  return ns;
}

/** For steps that write into the namespace: it must exist, be previewd's and not be going away. */
export async function requireWritableNamespace(ctx: KubernetesActivityContext, name: string): Promise<KubeObject> {
  const ns = await readOwnedNamespace(ctx, name);
  if (!ns) throw ApplicationFailure.nonRetryable(`namespace "${name}" does not exist; ensureNamespace must run first`, FailureType.NamespaceNotFound);
  if (ns.metadata.deletionTimestamp) {
    throw ApplicationFailure.nonRetryable(`namespace "${name}" is being deleted since ${ns.metadata.deletionTimestamp}`, FailureType.NamespaceTerminating);
  }
  return ns;
}
