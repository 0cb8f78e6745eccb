import type { ApplyBaselineInput, ApplyBaselineResult } from '../../workflows/contract';
import { buildBaseline, describeRef, namespaceNameFor, refOf } from '../../src/kubernetes';
import { withApiFailures } from './api-failures';
import type { KubernetesActivityContext } from './kubernetes-activity-context';
import { requireWritableNamespace } from './namespace-guard';

/** Applies NetworkPolicy, quota, limits and the optional secret and bindings, in that order. */
export function applyBaseline(ctx: KubernetesActivityContext, input: ApplyBaselineInput): Promise<ApplyBaselineResult> {
  return withApiFailures(async () => {
    const namespace = namespaceNameFor(ctx.settings, input.preview);
    await requireWritableNamespace(ctx, namespace);
    const objects: string[] = [];
    // Sequential on purpose: isolation (the NetworkPolicy) is in place before anything else.
    for (const obj of buildBaseline(ctx.settings, input.preview)) {
      await ctx.api.apply(obj);
      objects.push(describeRef(refOf(obj)));
    }
    return { namespace, objects };
  });
}
