import fc from 'fast-check';
import type { GitHubMode } from '../../../doubles/preview-world';
import { TRIGGER_LABEL, type Intent, type TriggerSpec } from './pull-request-simulation';

// One generated case: what people do to a pull request (intents), how GitHub delivers the
// resulting events (late, redelivered by hand, refused by a throttled or unreachable ingress
// and redelivered later), and what goes wrong meanwhile (GitHub slow, failing or down, API
// server errors, a worker restart), plus the lifecycle's continue-as-new threshold. Every part
// shrinks towards "less": fewer intents, no lag, the plain ingress, no disturbance.

/**
 * - `ingress`: the ingress as deployed.
 * - `throttled`: the same ingress over its per-repository rate limit (answers 429 to what it throttles).
 * - `outage`: the ingress while Temporal is unreachable (answers 503).
 * A delivery not answered 2xx is redelivered at the end of the case, as someone does from the
 * App's "Recent Deliveries" page.
 */
export type Via = 'ingress' | 'throttled' | 'outage';

export interface DeliveryPlan {
  /** How many later events GitHub delivers before this one (0 = in order). */
  readonly lag: number;
  readonly via: Via;
  /** Wall-clock pause after the delivery: how far the workflow gets before the next one. */
  readonly pauseMs: number;
  /** Sent at the same moment as the next delivery (GitHub delivers concurrently). */
  readonly together: boolean;
}

export interface Move {
  readonly intent: Intent;
  readonly delivery: DeliveryPlan;
}

export type Disturbance =
  /** GitHub's "Redeliver": the same delivery id and body again. `of` picks an earlier event. */
  | { readonly kind: 'redeliver'; readonly of: number }
  | { readonly kind: 'github'; readonly mode: GitHubMode }
  | { readonly kind: 'cluster-errors'; readonly count: number }
  | { readonly kind: 'restart-worker' }
  /** Wait until the cluster side is quiet; where every event so far is delivered, check the invariants. */
  | { readonly kind: 'checkpoint' };

export interface Placed {
  /** Position among the events (taken modulo their number). */
  readonly at: number;
  readonly what: Disturbance;
}

export interface Timing {
  readonly clusterLatencyMs: number;
  readonly teardownLatencyMs: number;
  readonly githubLatencyMs: number;
  readonly argoLagMs: number;
}

export interface RaceWorld {
  readonly timing: Timing;
  /** GitHub's condition when the PR opens (disturbances may change it later). */
  readonly github: GitHubMode;
}

export interface RaceCase {
  readonly trigger: TriggerSpec;
  readonly start: { readonly labelled: boolean; readonly draft: boolean };
  readonly opening: DeliveryPlan;
  readonly moves: readonly Move[];
  readonly disturbances: readonly Placed[];
  readonly continueAsNewAfterEvents: number;
  readonly world: RaceWorld;
}

/** Weighted choice among constants; the first is what shrinking goes to. */
function oneOf<T>(...weighted: readonly (readonly [number, T])[]): fc.Arbitrary<T> {
  return fc.oneof(...weighted.map(([weight, value]) => ({ weight, arbitrary: fc.constant(value) })));
}

const intentArb: fc.Arbitrary<Intent> = oneOf<Intent>(
  [5, { kind: 'push' }],
  [2, { kind: 'close' }],
  [2, { kind: 'reopen' }],
  [2, { kind: 'unlabel', trigger: true }],
  [2, { kind: 'label', trigger: true }],
  [1, { kind: 'label', trigger: false }],
  [1, { kind: 'unlabel', trigger: false }],
  [1, { kind: 'draft' }],
  [1, { kind: 'ready' }],
  [2, { kind: 'comment', command: 'destroy' }],
  [1, { kind: 'comment', command: 'redeploy' }],
  [1, { kind: 'comment', command: 'extend' }],
);

const deliveryArb: fc.Arbitrary<DeliveryPlan> = fc.record({
  lag: oneOf([8, 0], [2, 1], [1, 2], [1, 3]),
  via: oneOf<Via>([12, 'ingress'], [1, 'throttled'], [1, 'outage']),
  pauseMs: oneOf([4, 0], [2, 5], [2, 30], [1, 100]),
  together: oneOf([5, false], [1, true]),
});

const disturbanceArb: fc.Arbitrary<Disturbance> = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 40 }).map((of): Disturbance => ({ kind: 'redeliver', of })) },
  { weight: 3, arbitrary: oneOf<GitHubMode>([1, 'up'], [1, 'flaky'], [1, 'down'], [2, 'hanging']).map((mode): Disturbance => ({ kind: 'github', mode })) },
  // Each transient failure costs about a second of retry backoff on the dev server, so few of them.
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }).map((count): Disturbance => ({ kind: 'cluster-errors', count })) },
  { weight: 1, arbitrary: fc.constant<Disturbance>({ kind: 'restart-worker' }) },
  { weight: 3, arbitrary: fc.constant<Disturbance>({ kind: 'checkpoint' }) },
);

export function raceCaseArb(options: { readonly maxMoves: number; readonly maxDisturbances: number }): fc.Arbitrary<RaceCase> {
  return fc.record({
    trigger: fc.record({ mode: oneOf<'label' | 'always'>([3, 'label'], [1, 'always']), drafts: oneOf([3, false], [1, true]) }),
    start: fc.record({ labelled: oneOf([4, true], [1, false]), draft: oneOf([4, false], [1, true]) }),
    opening: deliveryArb,
    moves: fc.array(fc.record({ intent: intentArb, delivery: deliveryArb }), { minLength: 1, maxLength: options.maxMoves }),
    disturbances: fc.array(fc.record({ at: fc.nat({ max: 40 }), what: disturbanceArb }), { maxLength: options.maxDisturbances }),
    continueAsNewAfterEvents: oneOf([3, 1000], [3, 2], [2, 3]),
    world: fc.record({
      timing: fc.record({
        clusterLatencyMs: oneOf([3, 0], [2, 2], [1, 10]),
        teardownLatencyMs: oneOf([2, 0], [2, 20], [1, 100]),
        githubLatencyMs: oneOf([3, 0], [1, 5]),
        argoLagMs: oneOf([3, 0], [1, 10]),
      }),
      github: oneOf<GitHubMode>([6, 'up'], [2, 'hanging'], [1, 'flaky'], [1, 'down']),
    }),
  });
}

function describeIntent(intent: Intent): string {
  switch (intent.kind) {
    case 'label':
    case 'unlabel':
      return `${intent.kind} ${intent.trigger ? TRIGGER_LABEL : 'other'}`;
    case 'comment':
      return `/preview ${intent.command}`;
    default:
      return intent.kind;
  }
}

function describeDelivery(d: DeliveryPlan): string {
  const parts = [d.lag > 0 ? `lag ${d.lag}` : '', d.via !== 'ingress' ? d.via : '', d.pauseMs > 0 ? `pause ${d.pauseMs}ms` : '', d.together ? 'with next' : ''].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function describeDisturbance(d: Disturbance): string {
  switch (d.kind) {
    case 'redeliver':
      return `redeliver event ${d.of}`;
    case 'github':
      return `GitHub ${d.mode}`;
    case 'cluster-errors':
      return `${d.count} API server error(s)`;
    default:
      return d.kind;
  }
}

/** The case as a reader wants it in a counterexample. */
export function describeCase(c: RaceCase): string {
  const t = c.world.timing;
  return [
    `trigger ${c.trigger.mode}${c.trigger.drafts ? ' (drafts too)' : ''}; continue-as-new after ${c.continueAsNewAfterEvents} events; GitHub ${c.world.github} at first; ` +
      `latency: cluster ${t.clusterLatencyMs}ms, teardown ${t.teardownLatencyMs}ms, GitHub ${t.githubLatencyMs}ms, Argo CD ${t.argoLagMs}ms`,
    `open${c.start.draft ? ' as draft' : ''}${c.start.labelled ? ` with ${TRIGGER_LABEL}` : ' unlabelled'}${describeDelivery(c.opening)}`,
    ...c.moves.map((m) => `${describeIntent(m.intent)}${describeDelivery(m.delivery)}`),
    ...c.disturbances.map((d) => `at ${d.at}: ${describeDisturbance(d.what)}`),
  ].join('\n');
}
