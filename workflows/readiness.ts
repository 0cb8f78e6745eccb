import { sleep } from '@temporalio/workflow';
import { formatDuration } from '../src/config/durations';
import { updateServiceStates, type RolloutStep } from '../src/lifecycle';
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

function recordReadiness(preview: Preview, services: readonly ServiceReadiness[]): void {
  preview.state.services = updateServiceStates(
    preview.state.services,
    preview.input.config.services,
    services.map((s) => ({ name: s.service, state: s.state, message: s.message })),
  );
  preview.changed();
}

/**
 * Waits until a rollout phase is ready, a sync of it failed, or its deadline passed. The wait
 * runs in slices so that a newer head SHA ends a stale wait within one slice: pushes never
 * cancel an activity, they only decide what happens at the next step boundary.
 */
export async function awaitPhaseReady(preview: Preview, acts: StepActivities, headSha: string, step: RolloutStep): Promise<PhaseReadiness> {
  const names = step.services.map((s) => s.name);
  const deadline = Date.now() + preview.options.readinessTimeoutMs;
  for (;;) {
    const sliceStart = Date.now();
    const timeoutMs = Math.max(1, Math.min(preview.options.readinessSliceMs, deadline - sliceStart));
    const result = await acts.waitReady({ preview: preview.ref, headSha, services: names, timeoutMs });
    recordReadiness(preview, result.services);
    if (result.ready) return { kind: 'ready' };
    const failed = result.services.filter((s) => s.terminal);
    if (failed.length > 0) return { kind: 'degraded', reason: `rollout phase ${step.phase} failed to sync: ${describe(failed)}` };
    if (superseded(preview, headSha)) return { kind: 'superseded' };
    if (Date.now() >= deadline) {
      const waiting = result.services.filter((s) => s.state !== 'Ready');
      return { kind: 'degraded', reason: `rollout phase ${step.phase} not ready after ${formatDuration(preview.options.readinessTimeoutMs)}: ${describe(waiting)}` };
    }
    // A slice that comes back at once without an answer would spin and flood the history.
    const minimum = Math.min(MIN_SLICE_MS, timeoutMs);
    if (Date.now() - sliceStart < minimum / 2) await sleep(minimum);
  }
}
