import type { CancellationScope } from '@temporalio/workflow';
import {
  appendEvent,
  expiryView,
  resolveLifecycleOptions,
  resolveGate,
  resolveTtlPolicy,
  type ExpiryView,
  type ResolvedGate,
  type ResolvedLifecycleOptions,
  type ResolvedTtlPolicy,
} from '../src/lifecycle';
import type { ExpiryState, PreviewLifecycleInput, PreviewPhase, PreviewRef, PreviewState } from './contract';

/** Told after every change of the preview's state (the GitHub reporter, search attributes and memo). */
export interface PreviewSubscriber {
  changed(preview: Preview): void;
  /** False while it still has work in flight that must finish before the run ends (a report being sent); absent means always idle. */
  readonly idle?: boolean;
}

/**
 * One preview as this run sees it: the JSON state that continue-as-new carries, plus what only
 * lives for this run (the change counter loops wait on, the scope of the step in flight, the
 * subscribers). Every change of state goes through `changed()`, which wakes waiting loops and
 * tells the subscribers, in the order they subscribed.
 */
export class Preview {
  readonly options: ResolvedLifecycleOptions;
  readonly ttl: ResolvedTtlPolicy;
  readonly ref: PreviewRef;
  /** The CI gate (`gate`), when the repository has one. */
  readonly gate?: ResolvedGate;
  readonly state: PreviewState;
  /** Bumped on every change of state; waits resume when it moves. */
  version = 0;
  /** Wake-ups from the worker's cluster watch (clusterChanged signals); waits on the cluster resume when it moves. */
  clusterChanges = 0;
  /** Wake-ups of the CI gate (checksChanged signals); the gate's wait reads the checks again when it moves. */
  checkWakes = 0;
  /** Messages received by this run: the configured continue-as-new threshold counts these. */
  messagesThisRun = 0;
  /** The cancellable scope of the deploy step in flight, which a teardown request cancels. */
  stepScope?: CancellationScope;
  /** Set once teardown has started: reports from then on are the final ones. */
  finishing = false;
  /** The workflow was cancelled or failed: the run ends after the teardown, whatever arrives. */
  endRun = false;
  private readonly subscribers: PreviewSubscriber[] = [];
  private cachedExpiry?: { readonly expiry: ExpiryState; readonly labels: readonly string[]; readonly view: ExpiryView };

  /** Throws (naming the field) when the input's options or TTL policy are unusable. */
  constructor(
    readonly input: PreviewLifecycleInput,
    workflowId: string,
    now: number,
  ) {
    this.state = input.carried ? { ...input.carried, run: input.carried.run + 1 } : initialState(input, workflowId, now);
    this.options = resolveLifecycleOptions(input.options);
    this.ttl = resolveTtlPolicy(input.config.ttl);
    if (input.config.gate) this.gate = resolveGate(input.config.gate);
    this.ref = { repository: this.state.repository, repoKey: this.state.repoKey, prNumber: this.state.prNumber };
  }

  subscribe(subscriber: PreviewSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** Every subscriber has finished what it was given (the final report is out). */
  get settled(): boolean {
    return this.subscribers.every((s) => s.idle ?? true);
  }

  /**
   * The expiry as the labels and extensions make it. Computed again only when the expiry or the
   * labels change: both are replaced, never mutated, so their identity says when.
   */
  get expiry(): ExpiryView {
    const { expiry, labels } = this.state;
    if (this.cachedExpiry?.expiry !== expiry || this.cachedExpiry.labels !== labels) {
      this.cachedExpiry = { expiry, labels, view: expiryView(expiry, this.ttl, labels) };
    }
    return this.cachedExpiry.view;
  }

  /** A deploy round is due: a head not yet attempted (unless the budget blocks the preview), or an explicit redeploy. */
  get needsRound(): boolean {
    const s = this.state;
    return !s.teardown && (s.redeployRequested || (s.phase !== 'Blocked' && s.attemptedHeadSha !== s.desiredHeadSha));
  }

  /** After every change of state: wake waiting loops, then tell the subscribers. */
  changed(): void {
    this.version++;
    for (const subscriber of this.subscribers) subscriber.changed(this);
  }

  recordEvent(kind: string, detail: string): void {
    this.state.recentEvents = appendEvent(this.state.recentEvents, { at: new Date().toISOString(), kind, detail }, this.options.recentEvents);
  }

  setPhase(phase: PreviewPhase, reason?: string): void {
    if (this.state.phase === phase && this.state.failureReason === reason) return;
    this.state.phase = phase;
    this.state.failureReason = reason;
    this.recordEvent('phase', reason ? `${phase}: ${reason}` : phase);
    this.changed();
  }

  /** Idempotent: the first reason wins, and the step in flight is cancelled. */
  requestTeardown(reason: string): void {
    if (this.state.teardown) return;
    this.state.teardown = { reason, requestedAt: new Date().toISOString() };
    this.recordEvent('teardown-requested', reason);
    this.stepScope?.cancel();
    this.changed();
  }
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
    createDurationPending: true,
  };
}
