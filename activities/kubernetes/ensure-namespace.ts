import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type EnsureNamespaceInput, type EnsureNamespaceResult } from '../../workflows/contract';
import { buildNamespace, namespaceNameFor } from '../../src/kubernetes';
import { withApiFailures } from './api-failures';
import type { KubernetesActivityContext } from './kubernetes-activity-context';
import { readOwnedNamespace } from './namespace-guard';

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
