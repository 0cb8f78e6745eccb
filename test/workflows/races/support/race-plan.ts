import type { GitHubMode } from '../../../doubles/preview-world';
import type { GitHubEvent, PullRequestSimulation } from './pull-request-simulation';
import type { DeliveryPlan, Disturbance, RaceCase, Via } from './race-case';

// A case turned into the steps one run executes, in order. Events happen on GitHub in their
// true order; each is delivered `lag` events later; disturbances fall between them. A
// redelivery always comes after the event's first delivery (GitHub redelivers what it sent).

export type Step =
  | { readonly kind: 'happen'; readonly event: GitHubEvent }
  | { readonly kind: 'deliver'; readonly event: GitHubEvent; readonly via: Via; readonly redelivery: boolean; readonly pauseMs: number; readonly together: boolean }
  | { readonly kind: 'github'; readonly mode: GitHubMode }
  | { readonly kind: 'cluster-errors'; readonly count: number }
  | { readonly kind: 'restart-worker' }
  | { readonly kind: 'checkpoint' };

interface Slotted {
  readonly slot: number;
  readonly rank: number;
  readonly order: number;
  readonly step: Step;
}

export interface RacePlan {
  /** Every event, in the order it happened. */
  readonly events: readonly GitHubEvent[];
  readonly steps: readonly Step[];
}

function deliveryStep(event: GitHubEvent, d: DeliveryPlan, redelivery: boolean): Step {
  return { kind: 'deliver', event, via: redelivery ? 'ingress' : d.via, redelivery, pauseMs: d.pauseMs, together: redelivery ? false : d.together };
}

function disturbanceStep(d: Exclude<Disturbance, { kind: 'redeliver' }>): Step {
  switch (d.kind) {
    case 'github':
      return { kind: 'github', mode: d.mode };
    case 'cluster-errors':
      return { kind: 'cluster-errors', count: d.count };
    case 'restart-worker':
      return { kind: 'restart-worker' };
    case 'checkpoint':
      return { kind: 'checkpoint' };
  }
}

export function buildPlan(sim: PullRequestSimulation, c: RaceCase): RacePlan {
  const delivered: { event: GitHubEvent; plan: DeliveryPlan }[] = [{ event: sim.opened(), plan: c.opening }];
  for (const move of c.moves) {
    const event = sim.apply(move.intent);
    if (event) delivered.push({ event, plan: move.delivery });
  }
  const n = delivered.length;
  const slotted: Slotted[] = [];
  delivered.forEach(({ event, plan }, i) => {
    slotted.push({ slot: i, rank: 0, order: i, step: { kind: 'happen', event } });
    slotted.push({ slot: i + plan.lag, rank: 1, order: i, step: deliveryStep(event, plan, false) });
  });
  c.disturbances.forEach(({ at, what }, j) => {
    const slot = at % (n + 1);
    if (what.kind !== 'redeliver') {
      slotted.push({ slot, rank: 2, order: j, step: disturbanceStep(what) });
      return;
    }
    const target = delivered[what.of % n] as { event: GitHubEvent; plan: DeliveryPlan };
    const first = target.event.seq + target.plan.lag;
    slotted.push({ slot: Math.max(slot, first), rank: 3, order: j, step: deliveryStep(target.event, target.plan, true) });
  });
  slotted.sort((a, b) => a.slot - b.slot || a.rank - b.rank || a.order - b.order);
  return { events: delivered.map((d) => d.event), steps: slotted.map((s) => s.step) };
}
