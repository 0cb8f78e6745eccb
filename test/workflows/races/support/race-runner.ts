import type { PreviewBehaviour } from '../../../doubles/preview-world';
import { expectedOutcome } from './expected-outcome';
import { checkAnswer, checkGitHub, checkLedger, checkOutcome, type Answer, type Rule, type Violation } from './invariants';
import { observe } from './observation';
import { PullRequestSimulation, type GitHubEvent } from './pull-request-simulation';
import type { RaceCase } from './race-case';
import { buildPlan, type Step } from './race-plan';
import type { RaceStack, RaceTarget } from './race-stack';
import { NotQuietError, untilQuiet } from './quiescence';

// Runs one case against the stack: executes its steps (events happen on GitHub, deliveries go
// through the ingress, disturbances hit the world and the worker), checks the invariants at
// every checkpoint where nothing is still on its way, then lets every outage end, redelivers
// what was never answered 2xx and checks everything once the system is quiet.

/** The services of every case's repository (race-stack.ts). */
const SERVICES = ['db', 'web'];
const CHECKPOINT_QUIET_MS = 10_000;
const FINAL_QUIET_MS = 20_000;

export interface CaseReport {
  readonly target: RaceTarget;
  readonly violations: readonly Violation[];
  /** What happened, one line per step, with the ingress's answers. */
  readonly log: readonly string[];
}

class CaseRun {
  private readonly answers = new Map<string, Answer[]>();
  private readonly happened: GitHubEvent[] = [];
  readonly violations: Violation[] = [];
  private readonly lines: string[] = [];
  private readonly began = Date.now();
  private checkpoints = 0;

  constructor(
    private readonly stack: RaceStack,
    private readonly c: RaceCase,
    readonly target: RaceTarget,
    private readonly behaviour: PreviewBehaviour,
    private readonly rules: ReadonlySet<Rule>,
  ) {}

  /** What happened, each line stamped with the ms since the case began. */
  get log(): readonly string[] {
    return this.lines;
  }

  private note(line: string): void {
    this.lines.push(`${String(Date.now() - this.began).padStart(5)}ms ${line}`);
  }

  violate(found: readonly Violation[]): void {
    for (const v of found) if (this.rules.has(v.rule)) this.violations.push(v);
  }

  async run(steps: readonly Step[]): Promise<void> {
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as Step;
      if (step.kind !== 'deliver') {
        await this.disturb(step);
        continue;
      }
      // Deliveries marked `together` go out at the same moment as the next one.
      const batch = [step];
      while (batch.at(-1)?.together && steps[i + 1]?.kind === 'deliver') batch.push(steps[++i] as Extract<Step, { kind: 'deliver' }>);
      await Promise.all(batch.map((d) => this.deliver(d.event, d.via, d.redelivery)));
      const pause = Math.max(...batch.map((d) => d.pauseMs));
      if (pause > 0) await new Promise((r) => setTimeout(r, pause));
    }
  }

  private async disturb(step: Exclude<Step, { kind: 'deliver' }>): Promise<void> {
    switch (step.kind) {
      case 'happen':
        this.happened.push(step.event);
        this.stack.world.github.happened(this.target.key, step.event);
        this.note(`happens ${step.event.summary}`);
        return;
      case 'github':
        this.behaviour.setGitHub(step.mode);
        this.note(`GitHub is ${step.mode}`);
        return;
      case 'cluster-errors':
        this.behaviour.clusterErrors += step.count;
        this.note(`the API server fails the next ${step.count} call(s)`);
        return;
      case 'restart-worker':
        // At a quiet point (only reports GitHub holds may be in flight): a workflow task or
        // activity attempt cut by a shutdown is retried only after its timeout (10 s for a
        // workflow task, 30 s heartbeat, 1-2 min start-to-close), which is real but would make
        // a case take a minute; test/chaos kills workers mid-step. What a restart tests here is
        // that a fresh worker rebuilds every run from its history and carries on.
        if (!(await this.quiet(true, CHECKPOINT_QUIET_MS))) return;
        await this.stack.restartWorker();
        this.note('worker restarted');
        return;
      case 'checkpoint':
        return this.checkpoint();
    }
  }

  private async deliver(event: GitHubEvent, via: Answer['via'], redelivery: boolean): Promise<void> {
    const res = await this.stack.deliver(via, this.c.continueAsNewAfterEvents, event.event, event.payload, event.deliveryId);
    let body: { result?: string; reason?: string; message?: string } = {};
    try {
      body = res.json();
    } catch {
      // Not JSON: the status code says enough.
    }
    const answer: Answer = { via, status: res.statusCode, result: body.result, reason: body.reason ?? body.message, redelivery };
    this.answers.set(event.deliveryId, [...(this.answers.get(event.deliveryId) ?? []), answer]);
    this.note(`${redelivery ? 'redelivers' : 'delivers'} #${event.seq}${via === 'ingress' ? '' : ` via ${via}`} → ${res.statusCode} ${body.result ?? ''}${body.reason ? ` (${body.reason})` : ''}`);
    this.violate(checkAnswer(event, answer));
  }

  private answeredOk(event: GitHubEvent): boolean {
    return (this.answers.get(event.deliveryId) ?? []).some((a) => a.status >= 200 && a.status < 300);
  }

  private async quiet(ignoringGitHub: boolean, timeoutMs: number): Promise<boolean> {
    try {
      await untilQuiet(this.stack.client, this.stack.world, this.target.workflowId, this.target.key, { ignoring: ignoringGitHub ? ['reportPreview'] : [], timeoutMs });
      return true;
    } catch (err) {
      if (!(err instanceof NotQuietError)) throw err;
      this.violate([{ rule: 'quiet', detail: err.message }]);
      return false;
    }
  }

  /** Where every event so far is delivered, the cluster side must already be right, whatever GitHub is doing. */
  private async checkpoint(name?: string): Promise<void> {
    if (!(await this.quiet(true, CHECKPOINT_QUIET_MS))) return;
    const synced = this.happened.every((e) => this.answeredOk(e));
    this.checkpoints++;
    const label = name ?? `checkpoint ${this.checkpoints}`;
    this.note(`${label}: quiet${synced ? ', checked' : ', some events still on their way: not checked'}`);
    if (!synced) return;
    const observed = await observe(this.stack.client, this.stack.world, this.target);
    const at = `${label}: `;
    this.violate(checkOutcome(expectedOutcome(this.happened), observed, SERVICES, { githubSettled: false }).map((v) => ({ ...v, detail: at + v.detail })));
  }

  /**
   * Failed deliveries are redelivered by hand; then, with GitHub still in whatever state the
   * case left it, the cluster side must be right (an outage of GitHub never holds up a
   * teardown or a new head); then every outage ends and everything must be right.
   */
  async finish(events: readonly GitHubEvent[]): Promise<void> {
    for (const e of events) if (!this.answeredOk(e)) await this.deliver(e, 'ingress', true);
    await this.checkpoint('before GitHub recovers');
    this.behaviour.heal();
    this.note('everything recovers');
    if (!(await this.quiet(false, FINAL_QUIET_MS))) return;
    this.note('quiet');
    const observed = await observe(this.stack.client, this.stack.world, this.target);
    const expected = expectedOutcome(events);
    this.note(`expected: ${expected.wanted ? `a Ready preview at ${expected.headSha.slice(0, 7)}` : 'no preview'}`);
    this.violate([...checkOutcome(expected, observed, SERVICES, { githubSettled: true }), ...checkGitHub(expected, observed), ...checkLedger(events, this.answers, observed)]);
  }
}

export async function runRaceCase(stack: RaceStack, c: RaceCase, rules: ReadonlySet<Rule>): Promise<CaseReport> {
  const target = stack.nextTarget(c.trigger);
  const behaviour = stack.world.behaviour(target.key);
  Object.assign(behaviour, c.world.timing);
  behaviour.setGitHub(c.world.github);
  const sim = new PullRequestSimulation(target, c.trigger, c.start, Date.now());
  const plan = buildPlan(sim, c);
  const run = new CaseRun(stack, c, target, behaviour, rules);
  await run.run(plan.steps);
  await run.finish(plan.events);
  return { target, violations: run.violations, log: run.log };
}

export function formatReport(report: CaseReport): string {
  return [
    `${report.target.workflowId}: ${report.violations.length} violation(s)`,
    ...report.violations.map((v) => `  [${v.rule}] ${v.detail}`),
    'what happened:',
    ...report.log.map((l) => `  ${l}`),
  ].join('\n');
}
