import type { LightMyRequestResponse } from 'fastify';
import type { PreviewActivityName } from '../../../../workflows/contract';
import type { PreviewBehaviour } from '../../../doubles/preview-world';
import { expectedOutcome, type ExpectedOutcome } from './expected-outcome';
import { checkLedger, checkOutcome, type Answer, type Violation } from './invariants';
import { observe, type Observed } from './observation';
import { PullRequestSimulation, type GitHubEvent, type Intent, type TriggerSpec } from './pull-request-simulation';
import type { Via } from './race-case';
import type { RaceStack, RaceTarget } from './race-stack';
import { untilQuiet } from './quiescence';

// One pull request driven step by step, for the regression tests: the same simulation, ingress,
// world and checks as the generated cases, in an order written down by hand.

export const SERVICES = ['db', 'web'] as const;

export class ScriptedPullRequest {
  readonly target: RaceTarget;
  readonly behaviour: PreviewBehaviour;
  private readonly sim: PullRequestSimulation;
  private readonly events: GitHubEvent[] = [];
  private readonly answers = new Map<string, Answer[]>();

  constructor(
    private readonly stack: RaceStack,
    private readonly options: { readonly trigger?: TriggerSpec; readonly continueAsNewAfterEvents?: number; readonly start?: { labelled: boolean; draft: boolean } } = {},
  ) {
    const trigger = options.trigger ?? { mode: 'label', drafts: false };
    this.target = stack.nextTarget(trigger);
    this.behaviour = stack.world.behaviour(this.target.key);
    this.sim = new PullRequestSimulation(this.target, trigger, options.start ?? { labelled: true, draft: false }, Date.now());
  }

  /** The PR is opened on GitHub (not yet delivered). */
  opened(): GitHubEvent {
    return this.record(this.sim.opened());
  }

  /** Something happens on GitHub (not yet delivered). */
  happen(intent: Intent): GitHubEvent {
    const event = this.sim.apply(intent);
    if (!event) throw new Error(`${JSON.stringify(intent)} changes nothing on this PR`);
    return this.record(event);
  }

  async deliver(event: GitHubEvent, via: Via = 'ingress'): Promise<LightMyRequestResponse> {
    const res = await this.stack.deliver(via, this.options.continueAsNewAfterEvents ?? 1_000, event.event, event.payload, event.deliveryId);
    const body = res.json<{ result?: string; reason?: string; message?: string }>();
    const answer: Answer = { via, status: res.statusCode, result: body.result, reason: body.reason ?? body.message, redelivery: this.answers.has(event.deliveryId) };
    this.answers.set(event.deliveryId, [...(this.answers.get(event.deliveryId) ?? []), answer]);
    return res;
  }

  quiet(ignoring: readonly PreviewActivityName[] = []): Promise<void> {
    return untilQuiet(this.stack.client, this.stack.world, this.target.workflowId, this.target.key, { ignoring });
  }

  observe(): Promise<Observed> {
    return observe(this.stack.client, this.stack.world, this.target);
  }

  expected(): ExpectedOutcome {
    return expectedOutcome(this.events);
  }

  /**
   * The outcome invariants for everything that happened so far (every event delivered).
   * `githubSettled: false` where GitHub is still failing and a finished run may still be reporting.
   */
  async violations(options = { githubSettled: true }): Promise<Violation[]> {
    return checkOutcome(this.expected(), await this.observe(), SERVICES, options);
  }

  /** Every delivery answered 2xx is accounted for in the status events, and none was applied twice. */
  async ledgerViolations(): Promise<Violation[]> {
    return checkLedger(this.events, this.answers, await this.observe());
  }

  /** Head SHAs deployApps was called with, in call order. */
  deployedHeads(): string[] {
    return this.stack.world.callsOf(this.target.key, 'deployApps').map((c) => (c.input as { headSha: string }).headSha);
  }

  private record(event: GitHubEvent): GitHubEvent {
    this.events.push(event);
    this.stack.world.github.happened(this.target.key, event);
    return event;
  }
}
