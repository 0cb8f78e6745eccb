import { sleep } from '@temporalio/workflow';
import { formatDuration } from '../src/config/durations';
import { updateServiceStates, type RolloutStep } from '../src/lifecycle';
import { recheckDelay, waitForCluster, waitsInWorkflow } from './cluster-waits';
import type { ServiceReadiness } from './contract';
import type { Preview } from './preview';
import type { StepActivities } from './step-activities';

export type PhaseReadiness = { readonly kind: 'ready' } | { readonly kind: 'superseded' } | { readonly kind: 'degraded'; readonly reason: string };

/** Quickest a readiness slice may come back without being ready before the loop pauses. */
const MIN_SLICE_MS = 5_000;

export function superseded(preview: Preview, headSha: string): boolean {
  return preview.state.desiredHeadSha !== headSha || preview.state.redeployRequested;
}

function describe(services: readonly ServiceReadiness[]): string {
  return services.map((s) => `${s.service}=${s.state}${s.message ? ` (${s.message})` : ''}`).join(', ');
}

/** A route's URL is shown only while its Gateway accepts the route; without a route, the URL stays as deployApps set it. */
function recordReadiness(preview: Preview, services: readonly ServiceReadiness[]): void {
  preview.state.services = updateServiceStates(
    preview.state.services,
    preview.input.config.services,
    services.map((s) => ({ name: s.service, state: s.state, message: s.message, ...(s.route && { url: s.route.accepted ? s.route.url : undefined }) })),
  );
  preview.changed();
}

function notReadyInTime(preview: Preview, step: RolloutStep, services: readonly ServiceReadiness[]): PhaseReadiness {
  const waiting = services.filter((s) => s.state !== 'Ready');
  return { kind: 'degraded', reason: `rollout phase ${step.phase} not ready after ${formatDuration(preview.options.readinessTimeoutMs)}: ${describe(waiting)}` };
}

function syncFailed(step: RolloutStep, services: readonly ServiceReadiness[]): PhaseReadiness {
  return { kind: 'degraded', reason: `rollout phase ${step.phase} failed to sync: ${describe(services.filter((s) => s.terminal))}` };
}

/**
 * Waits until a rollout phase is ready, a sync of it failed, or its deadline passed (in
 * workflow time). Each look is a short `checkReady`; between looks the workflow waits on a
 * durable timer that the cluster watch or a newer head SHA ends early, so a push ends a stale
 * wait at once and no worker slot is held while Argo CD works.
 */
async function awaitPhaseReadyOnTimers(preview: Preview, acts: StepActivities, headSha: string, step: RolloutStep): Promise<PhaseReadiness> {
  const services = step.services.map((s) => s.name);
  const deadline = Date.now() + preview.options.readinessTimeoutMs;
  for (let n = 0; ; n++) {
    const result = await acts.checkReady({ preview: preview.ref, headSha, services });
    recordReadiness(preview, result.services);
    if (result.ready) return { kind: 'ready' };
    if (result.outcome === 'Degraded') return syncFailed(step, result.services);
    if (superseded(preview, headSha)) return { kind: 'superseded' };
    const left = deadline - Date.now();
    if (left <= 0) return notReadyInTime(preview, step, result.services);
    await waitForCluster(preview, Math.min(left, recheckDelay(result.recheck, n)), () => superseded(preview, headSha));
  }
}

/**
 * Waits until a rollout phase is ready, a sync of it failed, or its deadline passed. Runs
 * recorded before the `workflow-level-waits` patch keep their shape on replay: `waitReady`
 * polls inside the activity, in slices so that a newer head SHA ends a stale wait within one
 * slice. (Their code stays inline here: an extra await would reorder commands on replay.)
 */
export async function awaitPhaseReady(preview: Preview, acts: StepActivities, headSha: string, step: RolloutStep): Promise<PhaseReadiness> {
  if (waitsInWorkflow()) return awaitPhaseReadyOnTimers(preview, acts, headSha, step);
  const names = step.services.map((s) => s.name);
  const deadline = Date.now() + preview.options.readinessTimeoutMs;
  for (;;) {
    const sliceStart = Date.now();
    const timeoutMs = Math.max(1, Math.min(preview.options.readinessSliceMs, deadline - sliceStart));
    const result = await acts.waitReady({ preview: preview.ref, headSha, services: names, timeoutMs });
    recordReadiness(preview, result.services);
    if (result.ready) return { kind: 'ready' };
    if (result.services.some((s) => s.terminal)) return syncFailed(step, result.services);
    if (superseded(preview, headSha)) return { kind: 'superseded' };
    if (Date.now() >= deadline) return notReadyInTime(preview, step, result.services);
    // A slice that comes back at once without an answer would spin and flood the history.
    const minimum = Math.min(MIN_SLICE_MS, timeoutMs);
    if (Date.now() - sliceStart < minimum / 2) await sleep(minimum, { summary: 'Pause between readiness checks' });
  }
}
