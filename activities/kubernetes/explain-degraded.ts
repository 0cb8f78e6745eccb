import type { ServiceReadiness } from '../../workflows/contract';
import { describeUnhealthy, healthCauses } from '../../src/kubernetes';
import type { KubernetesActivityContext } from './kubernetes-activity-context';

/**
 * Replaces Argo CD's "Caused by <resource>" with what the named resources' own conditions say
 * (a Deployment's ProgressDeadlineExceeded message, say), so a user sees why a service is
 * Degraded. Reads only objects in the preview's namespace; a resource that cannot be read or
 * says nothing keeps Argo CD's message.
 */
export async function explainDegraded(ctx: KubernetesActivityContext, namespace: string, states: readonly ServiceReadiness[]): Promise<ServiceReadiness[]> {
  return Promise.all(
    states.map(async (s) => {
      if (s.state !== 'Degraded' || s.terminal) return s;
      const reasons: string[] = [];
      for (const ref of healthCauses(s.message, namespace)) {
        const obj = await ctx.api.get(ref).catch(() => undefined);
        const reason = obj && describeUnhealthy(obj);
        if (reason) reasons.push(reason);
      }
      return reasons.length === 0 ? s : { ...s, message: `${reasons.join('; ')} (Argo CD: ${s.message ?? 'Degraded'})` };
    }),
  );
}
