import { ApplicationFailure } from '@temporalio/common';
import { buildNamespace, namespaceNameFor, type NamespaceDetails, type PreviewRef } from '../../src/kubernetes';
import { FailureType, withApiFailures } from './activity-failure';
import type { KubernetesActivityContext } from './kubernetes-activity-context';
import { readOwnedNamespace } from './namespace-guard';

export interface EnsureNamespaceInput extends NamespaceDetails {
  readonly preview: PreviewRef;
}

export interface EnsureNamespaceResult {
  readonly namespace: string;
  readonly created: boolean;
}

/**
 * Creates or updates the preview namespace. A missing namespace is created with a create-only
 * POST (so a namespace someone else made in the meantime is never adopted), then applied, so
 * later runs are pure server-side applies and an unchanged run writes nothing.
 */
export function ensureNamespace(ctx: KubernetesActivityContext, input: EnsureNamespaceInput): Promise<EnsureNamespaceResult> {
  return withApiFailures(async () => {
    const desired = buildNamespace(ctx.settings, input.preview, input);
    const name = namespaceNameFor(ctx.settings, input.preview);
    const existing = await readOwnedNamespace(ctx, name);
    if (existing?.metadata.deletionTimestamp) {
      // A previous preview of this PR is still being torn down; retrying waits it out.
      throw ApplicationFailure.retryable(`namespace "${name}" is still being deleted; retrying until it is gone`, FailureType.NamespaceStillDeleting);
    }
    if (!existing) await ctx.api.create(desired);
    await ctx.api.apply(desired);
    return { namespace: name, created: !existing };
  });
}
