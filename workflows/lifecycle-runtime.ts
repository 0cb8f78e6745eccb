import type { CancellationScope } from '@temporalio/workflow';
import type { PreviewRef } from '../activities/types';
import {
  appendEvent,
  resolveLifecycleOptions,
  resolveTtlPolicy,
  type PreviewLifecycleInput,
  type PreviewPhase,
  type PreviewState,
  type ResolvedLifecycleOptions,
  type ResolvedTtlPolicy,
} from '../src/lifecycle';
import { previewReport, type Reporter } from './reporter';
import { syncVisibility, type VisibleValues } from './visibility';

/**
 * One run's working set: the JSON state that continue-as-new carries, plus what only lives
 * for this run (the scope of the step in flight, the change counter loops wait on, the
 * reporter, what was last written to visibility).
 */
export interface Runtime {
  readonly input: PreviewLifecycleInput;
  readonly options: ResolvedLifecycleOptions;
  readonly ttl: ResolvedTtlPolicy;
  readonly preview: PreviewRef;
  readonly state: PreviewState;
  /** Bumped on every change of state; waits resume when it moves. */
  version: number;
  /** Messages received by this run: the configured continue-as-new threshold counts these. */
  messagesThisRun: number;
  /** The cancellable scope of the deploy step in flight, which a teardown request cancels. */
  stepScope?: CancellationScope;
  reporter?: Reporter;
  /** Set once teardown has started: reports from then on are the final ones. */
  finishing: boolean;
  /** What this run last wrote to search attributes and memo. */
  visible: Partial<VisibleValues>;
}

export function createRuntime(input: PreviewLifecycleInput, workflowId: string, now: number): Runtime {
  const state: PreviewState = input.carried ? { ...input.carried, run: input.carried.run + 1 } : initialState(input, workflowId, now);
  return {
    input,
    options: resolveLifecycleOptions(input.options),
    ttl: resolveTtlPolicy(input.config.ttl),
    preview: { repository: state.repository, repoKey: state.repoKey, prNumber: state.prNumber },
    state,
    version: 0,
    messagesThisRun: 0,
    finishing: false,
    visible: {},
  };
}

function initialState(input: PreviewLifecycleInput, workflowId: string, now: number): PreviewState {
  return {
    workflowId,
    repository: input.pr.repository,
    prNumber: input.pr.number,
    repoKey: input.config.key,
    labels: [...input.pr.labels],
    phase: 'Pending',
    desiredHeadSha: input.pr.headSha,
    redeployRequested: false,
    provisioned: false,
    services: [],
    expiry: { createdAt: now, idleFrom: now },
    deliveries: [],
    recentEvents: [],
    eventsHandled: 0,
    run: 1,
  };
}

/** After every change of state: wake waiting loops, update visibility, offer GitHub a report. */
export function changed(rt: Runtime): void {
  rt.version++;
  syncVisibility(rt);
  rt.reporter?.offer(previewReport(rt));
}

export function recordEvent(rt: Runtime, kind: string, detail: string): void {
  rt.state.recentEvents = appendEvent(rt.state.recentEvents, { at: new Date().toISOString(), kind, detail }, rt.options.recentEvents);
}

export function setPhase(rt: Runtime, phase: PreviewPhase, reason?: string): void {
  if (rt.state.phase === phase && rt.state.failureReason === reason) return;
  rt.state.phase = phase;
  rt.state.failureReason = reason;
  recordEvent(rt, 'phase', reason ? `${phase}: ${reason}` : phase);
  changed(rt);
}

/** Idempotent: the first reason wins, and the step in flight is cancelled. */
export function requestTeardown(rt: Runtime, reason: string): void {
  if (rt.state.teardown) return;
  rt.state.teardown = { reason, requestedAt: new Date().toISOString() };
  recordEvent(rt, 'teardown-requested', reason);
  rt.stepScope?.cancel();
  changed(rt);
}

/** A deploy round is due: a head not yet attempted, or an explicit redeploy. */
export function needsRound(state: PreviewState): boolean {
  return !state.teardown && (state.redeployRequested || state.attemptedHeadSha !== state.desiredHeadSha);
}
