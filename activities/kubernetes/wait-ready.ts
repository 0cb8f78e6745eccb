import type { CheckReadyInput, CheckReadyResult, ReadyOutcome, ServiceReadiness, WaitReadyInput, WaitReadyResult } from '../../workflows/contract';
import { applicationName, applicationReadiness, headShaLabel, namespaceNameFor, previewKeys, previewSelector } from '../../src/kubernetes';
import { withRouteStates } from './route-states';
import { withApiFailures } from './api-failures';
import { explainDegraded } from './explain-degraded';
import { pollUntil } from './heartbeat-poll';
import type { KubernetesActivityContext } from './kubernetes-activity-context';
import { recheckOf } from './recheck';

function summary(states: readonly ServiceReadiness[]): string {
  return states.map((s) => `${s.service}=${s.state}`).join(' ');
}

/**
 * One look at the given services: their Applications for the desired head and source, and the
 * routes of those that have one (a service is Ready only once its route is accepted).
 */
async function readReadiness(ctx: KubernetesActivityContext, input: CheckReadyInput): Promise<ServiceReadiness[]> {
  const key = previewKeys(ctx.settings).headSha;
  const label = headShaLabel(input.headSha);
  const apps = await ctx.api.list('argoproj.io/v1alpha1', 'Application', {
    namespace: ctx.settings.argocd.namespace,
    labelSelector: previewSelector(ctx.settings, input.preview),
  });
  const byName = new Map(apps.map((a) => [a.metadata.name, a]));
  const states = input.services.map((service) => {
    const application = applicationName(ctx.settings, input.preview, service);
    return applicationReadiness({ service, application, headSha: input.headSha, headShaLabelKey: key, headShaLabel: label }, byName.get(application));
  });
  return withRouteStates(ctx, input.preview, states);
}

/**
 * One look at a rollout phase: Ready when every Application is Synced + Healthy for the desired
 * source, Degraded when a sync of it failed. Returns at once; the workflow waits between looks
 * on a durable timer, so no worker slot is held while Argo CD works.
 */
export function checkReady(ctx: KubernetesActivityContext, input: CheckReadyInput): Promise<CheckReadyResult> {
  return withApiFailures(async () => {
    const states = await readReadiness(ctx, input);
    const outcome = states.every((s) => s.state === 'Ready') ? 'Ready' : states.some((s) => s.terminal) ? 'Degraded' : 'Progressing';
    // A Degraded service's reason is read from its resources' conditions on every look: the
    // workflow may give up at its deadline after any one of them.
    const services = await explainDegraded(ctx, namespaceNameFor(ctx.settings, input.preview), states);
    return { ready: outcome === 'Ready', outcome, services, recheck: recheckOf(ctx.settings) };
  });
}

/**
 * Polls the Applications until every one is Synced + Healthy for the desired source. A failed
 * sync of the desired source ends the wait early (Degraded); otherwise the deadline ends it,
 * and the per-service states say what was still missing. Not ready is a result, not an error:
 * the workflow shows it as Degraded and keeps the preview. Holds a worker slot while it
 * polls: only runs started before the `workflow-level-waits` patch still call it.
 */
export function waitReady(ctx: KubernetesActivityContext, input: WaitReadyInput): Promise<WaitReadyResult> {
  return withApiFailures(async () => {
    let states: ServiceReadiness[] = [];
    const step = await pollUntil(ctx.clock, { intervalMs: ctx.settings.timeouts.pollIntervalMs, timeoutMs: input.timeoutMs ?? ctx.settings.timeouts.readyMs }, async () => {
      states = await readReadiness(ctx, input);
      if (states.every((s) => s.state === 'Ready')) return { done: true, value: 'Ready' as const };
      if (states.some((s) => s.terminal)) return { done: true, value: 'Degraded' as const };
      return { done: false, progress: summary(states) };
    });
    const outcome: ReadyOutcome = step.done ? step.value : states.some((s) => s.state === 'Degraded') ? 'Degraded' : 'TimedOut';
    return { ready: outcome === 'Ready', outcome, services: await explainDegraded(ctx, namespaceNameFor(ctx.settings, input.preview), states) };
  });
}
