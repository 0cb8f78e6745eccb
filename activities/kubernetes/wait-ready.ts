import type { ReadyOutcome, ServiceReadiness, WaitReadyInput, WaitReadyResult } from '../../workflows/contract';
import { applicationName, applicationReadiness, headShaLabel, namespaceNameFor, previewKeys, previewSelector } from '../../src/kubernetes';
import { withApiFailures } from './api-failures';
import { explainDegraded } from './explain-degraded';
import { pollUntil } from './heartbeat-poll';
import type { KubernetesActivityContext } from './kubernetes-activity-context';

function summary(states: readonly ServiceReadiness[]): string {
  return states.map((s) => `${s.service}=${s.state}`).join(' ');
}

/**
 * Polls the Applications until every one is Synced + Healthy for the desired source. A failed
 * sync of the desired source ends the wait early (Degraded); otherwise the deadline ends it,
 * and the per-service states say what was still missing. Not ready is a result, not an error:
 * the workflow shows it as Degraded and keeps the preview.
 */
export function waitReady(ctx: KubernetesActivityContext, input: WaitReadyInput): Promise<WaitReadyResult> {
  return withApiFailures(async () => {
    const key = previewKeys(ctx.settings).headSha;
    const label = headShaLabel(input.headSha);
    const expected = input.services.map((service) => ({
      service,
      application: applicationName(ctx.settings, input.preview, service),
      headSha: input.headSha,
      headShaLabelKey: key,
      headShaLabel: label,
    }));
    let states: ServiceReadiness[] = [];
    const step = await pollUntil(ctx.clock, { intervalMs: ctx.settings.timeouts.pollIntervalMs, timeoutMs: input.timeoutMs ?? ctx.settings.timeouts.readyMs }, async () => {
      const apps = await ctx.api.list('argoproj.io/v1alpha1', 'Application', {
        namespace: ctx.settings.argocd.namespace,
        labelSelector: previewSelector(ctx.settings, input.preview),
      });
      const byName = new Map(apps.map((a) => [a.metadata.name, a]));
      states = expected.map((e) => applicationReadiness(e, byName.get(e.application)));
      if (states.every((s) => s.state === 'Ready')) return { done: true, value: 'Ready' as const };
      if (states.some((s) => s.terminal)) return { done: true, value: 'Degraded' as const };
      return { done: false, progress: summary(states) };
    });
    const outcome: ReadyOutcome = step.done ? step.value : states.some((s) => s.state === 'Degraded') ? 'Degraded' : 'TimedOut';
    return { ready: outcome === 'Ready', outcome, services: await explainDegraded(ctx, namespaceNameFor(ctx.settings, input.preview), states) };
  });
}
