import type { PreviewRef } from '../../workflows/contract';
import { namespaceNameFor, totalRequests, workloadRequests, type WorkloadRequest, type WorkloadTotals } from '../../src/kubernetes';
import { withApiFailures } from './api-failures';
import type { KubernetesActivityContext } from './kubernetes-activity-context';
import { readOwnedNamespace } from './namespace-guard';

export interface ReadWorkloadsInput {
  readonly preview: PreviewRef;
}

export interface ReadWorkloadsResult {
  readonly namespace: string;
  readonly workloads: WorkloadRequest[];
  readonly totals: WorkloadTotals;
}

/** Requests of the Deployments, StatefulSets and PVCs in the preview namespace, for cost. */
export function readWorkloads(ctx: KubernetesActivityContext, input: ReadWorkloadsInput): Promise<ReadWorkloadsResult> {
  return withApiFailures(async () => {
    const namespace = namespaceNameFor(ctx.settings, input.preview);
    if (!(await readOwnedNamespace(ctx, namespace))) return { namespace, workloads: [], totals: totalRequests([]) };
    const [deployments, statefulSets, claims] = await Promise.all([
      ctx.api.list('apps/v1', 'Deployment', { namespace }),
      ctx.api.list('apps/v1', 'StatefulSet', { namespace }),
      ctx.api.list('v1', 'PersistentVolumeClaim', { namespace }),
    ]);
    const workloads = workloadRequests({ deployments, statefulSets, claims });
    return { namespace, workloads, totals: totalRequests(workloads) };
  });
}
