import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type {
  CheckReadyInput,
  CheckReadyResult,
  CheckRunSeen,
  ChecksReading,
  CommitStatusSeen,
  ChooseServicesInput,
  ComputeCostInput,
  CostEstimate,
  DeployAppsInput,
  DeployAppsResult,
  DropDatabaseInput,
  DropDatabaseResult,
  FetchBootstrapSqlInput,
  FetchBootstrapSqlResult,
  LifecycleActivities,
  LifecycleActivityName,
  PreviewReport,
  PreviewRef,
  Recheck,
  ProvisionDatabaseInput,
  ProvisionDatabaseResult,
  ReadChecksInput,
  ResolveImagesInput,
  ResolveImagesResult,
  ServiceReadiness,
  TeardownInput,
  TeardownResult,
  TeardownStage,
  TeardownStepResult,
  WaitReadyInput,
  WaitReadyResult,
} from '../../workflows/contract';

/** The activities a script can rule on: every one the lifecycle calls. */
type PreviewActivityName = LifecycleActivityName;

// Activity doubles: real functions that a real Worker runs, as Temporal's own samples test
// workflows. One set serves every workflow of a test file; each workflow (by id) gets its own
// script, so tests sharing a worker never see each other's calls or behaviours.

export type CallOutcome = 'running' | 'completed' | 'failed' | 'cancelled';

export interface ActivityCall {
  readonly activity: PreviewActivityName;
  readonly workflowId: string;
  readonly input: unknown;
  readonly attempt: number;
  /** Wall-clock epoch ms. */
  readonly startedAt: number;
  outcome: CallOutcome;
  endedAt?: number;
}

/**
 * 'sync-failed': every wait reports a failed sync until the script changes mode.
 * 'sync-failed-until-requested': as real Argo CD does, the failed sync stays failed (re-applying
 * the same Application changes nothing) until deployApps asks for an explicit sync (requestSync).
 */
export type Readiness = 'ready' | 'never' | 'sync-failed' | 'sync-failed-until-requested';

/** The doubles' cluster answers at once: the workflow's first recheck comes soon, and later ones back off. */
export const DOUBLE_RECHECK: Recheck = { afterMs: 200, maxAfterMs: 1_000 };

export interface FailureSpec {
  readonly type?: string;
  readonly message?: string;
  /** Default true: a permanent failure. */
  readonly nonRetryable?: boolean;
  /** How many calls fail before the activity works again; default: all. */
  readonly times?: number;
}

/** Holds calls of one activity until opened (or until the call is cancelled). */
export class Gate {
  private release!: () => void;
  readonly opened: Promise<void> = new Promise((resolve) => (this.release = resolve));
  isOpen = false;

  open(): void {
    this.isOpen = true;
    this.release();
  }
}

interface Rule {
  readonly gate?: Gate;
  readonly failure?: FailureSpec;
  remaining: number;
}

type Listener = () => void;

export class WorkflowScript {
  readonly calls: ActivityCall[] = [];
  readinessMode: Readiness = 'ready';
  chosen?: readonly string[];
  /** Digests the PR's lock file pins, per service (resolveImages). */
  locked: Record<string, string> = {};
  /** What waitReady says of each service's route, by service; absent services have no route. */
  routes: Record<string, { accepted: boolean; message?: string }> = {};
  costPerHour = 0.0625;
  /** Stages `teardownStep` reports, one per call, before it reports `gone`. */
  teardownStages: TeardownStage[] = [];
  /** How long `teardownStep` says a stage may last (the cluster's deletion timeouts). */
  teardownStuckAfterMs = 60_000;
  stuck = false;
  /** The cadence `checkReady` and `teardownStep` ask the workflow to recheck at. */
  recheck: Recheck = DOUBLE_RECHECK;
  /** What the repository holds at the bootstrap path (absent: no such file). */
  bootstrapSql?: string;
  /** The CI checks GitHub reports per head SHA (readChecks); a SHA absent here has none yet. */
  checks: Record<string, { checkRuns: CheckRunSeen[]; statuses: CommitStatusSeen[] }> = {};
  private readonly rules = new Map<PreviewActivityName, Rule[]>();
  private readonly listeners = new Set<Listener>();

  constructor(readonly workflowId: string) {}

  /** The next calls of `activity` wait (heartbeating) until the gate opens or they are cancelled. */
  block(activity: PreviewActivityName, times = Number.POSITIVE_INFINITY): Gate {
    const gate = new Gate();
    this.addRule(activity, { gate, remaining: times });
    return gate;
  }

  fail(activity: PreviewActivityName, spec: FailureSpec = {}): this {
    this.addRule(activity, { failure: spec, remaining: spec.times ?? Number.POSITIVE_INFINITY });
    return this;
  }

  readiness(mode: Readiness): this {
    this.readinessMode = mode;
    return this;
  }

  /**
   * The next `teardownStep` calls report these stages, one per call, then `gone`; with `stuck`
   * the last stage never ends, so the workflow's deadline (`stuckAfterMs`) decides.
   */
  tearDownThrough(stages: readonly TeardownStage[], options: { readonly stuckAfterMs?: number; readonly stuck?: boolean } = {}): this {
    this.teardownStages = [...stages];
    this.teardownStuckAfterMs = options.stuckAfterMs ?? this.teardownStuckAfterMs;
    this.stuck = options.stuck ?? false;
    return this;
  }

  lock(digests: Record<string, string>): this {
    this.locked = digests;
    return this;
  }

  route(service: string, accepted: boolean, message?: string): this {
    this.routes[service] = { accepted, message };
    return this;
  }

  choose(services: readonly string[]): this {
    this.chosen = services;
    return this;
  }

  callsOf(activity: PreviewActivityName): ActivityCall[] {
    return this.calls.filter((c) => c.activity === activity);
  }

  /** Resolves once `activity` has been called `count` times (a started call counts). */
  async waitForCalls(activity: PreviewActivityName, count = 1, timeoutMs = 30_000): Promise<ActivityCall[]> {
    return this.waitFor(() => (this.callsOf(activity).length >= count ? this.callsOf(activity) : undefined), `${count} call(s) of ${activity}`, timeoutMs);
  }

  /** Resolves once `probe` returns a value, re-checking after every call start and end. */
  waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check: Listener = () => {
        const value = probe();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} in ${this.workflowId}; calls: ${this.summary()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  summary(): string {
    return this.calls.map((c) => `${c.activity}:${c.outcome}`).join(' ');
  }

  /** @internal used by the doubles */
  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** @internal the rule for this call, consumed */
  takeRule(activity: PreviewActivityName): Rule | undefined {
    const rule = (this.rules.get(activity) ?? []).find((r) => r.remaining > 0);
    if (rule) rule.remaining--;
    return rule;
  }

  private addRule(activity: PreviewActivityName, rule: Rule): void {
    this.rules.set(activity, [...(this.rules.get(activity) ?? []), rule]);
  }
}

export const EXAMPLE_DOMAIN = 'preview.example.test';

export function namespaceOf(preview: PreviewRef): string {
  return `pr-${preview.repoKey}-${preview.prNumber}`;
}

/** Heartbeats until the gate opens; throws CancelledFailure when the call is cancelled. */
async function waitAtGate(gate: Gate): Promise<void> {
  const ctx = Context.current();
  while (!gate.isOpen) {
    ctx.heartbeat();
    await Promise.race([gate.opened, ctx.sleep(100)]);
  }
}

function throwFailure(activity: PreviewActivityName, spec: FailureSpec): never {
  const message = spec.message ?? `${activity} failed (test double)`;
  const type = spec.type ?? 'KubernetesInvalid';
  throw spec.nonRetryable === false ? ApplicationFailure.retryable(message, type) : ApplicationFailure.nonRetryable(message, type);
}

async function notReadyAfter(timeoutMs: number): Promise<void> {
  const ctx = Context.current();
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    ctx.heartbeat();
    await ctx.sleep(Math.min(100, until - Date.now()));
  }
}

export class PreviewActivityDoubles {
  private readonly scripts = new Map<string, WorkflowScript>();

  /** The script (and recorded calls) of one workflow id. */
  for(workflowId: string): WorkflowScript {
    let script = this.scripts.get(workflowId);
    if (!script) {
      script = new WorkflowScript(workflowId);
      this.scripts.set(workflowId, script);
    }
    return script;
  }

  activities(): LifecycleActivities {
    return {
      ensureNamespace: (input) => this.run('ensureNamespace', input, () => Promise.resolve({ namespace: namespaceOf(input.preview), created: true })),
      applyBaseline: (input) => this.run('applyBaseline', input, () => Promise.resolve({ namespace: namespaceOf(input.preview), objects: [] })),
      resolveImages: (input) => this.run('resolveImages', input, (script) => Promise.resolve(resolveImages(script, input))),
      chooseServices: (input) => this.run('chooseServices', input, (script) => Promise.resolve(chooseServices(script, input))),
      deployApps: (input) => this.run('deployApps', input, (script) => Promise.resolve(deployApps(script, input))),
      waitReady: (input) => this.run('waitReady', input, (script) => waitReady(script, input)),
      checkReady: (input) => this.run('checkReady', input, (script) => Promise.resolve(checkReady(script, input))),
      computeCost: (input) => this.run('computeCost', input, (script) => Promise.resolve(computeCost(script, input))),
      reportPreview: (input) => this.run('reportPreview', input, () => Promise.resolve(reportPreview(input))),
      teardown: (input) => this.run('teardown', input, () => Promise.resolve(teardown(input))),
      teardownStep: (input) => this.run('teardownStep', input, (script) => Promise.resolve(teardownStep(script, input))),
      fetchBootstrapSql: (input) => this.run('fetchBootstrapSql', input, (script) => Promise.resolve(fetchBootstrapSql(script, input))),
      provisionDatabase: (input) => this.run('provisionDatabase', input, () => Promise.resolve(provisionDatabase(input))),
      dropDatabase: (input) => this.run('dropDatabase', input, () => Promise.resolve(dropDatabase(input))),
      recordPreviewDuration: (input) => this.run('recordPreviewDuration', input, () => Promise.resolve()),
      // As a worker without GitHub credentials answers (not scripted, not in the call log): the event stamps alone decide.
      readPullRequest: () => Promise.resolve({ configured: false }),
      readChecks: (input) => this.run('readChecks', input, (script) => Promise.resolve(readChecks(script, input))),
    };
  }

  private async run<T>(activity: PreviewActivityName, input: unknown, body: (script: WorkflowScript) => Promise<T>): Promise<T> {
    const info = Context.current().info;
    const script = this.for(info.workflowExecution?.workflowId ?? 'no-workflow');
    const call: ActivityCall = { activity, workflowId: script.workflowId, input, attempt: info.attempt, startedAt: Date.now(), outcome: 'running' };
    script.calls.push(call);
    script.notify();
    try {
      const rule = script.takeRule(activity);
      if (rule?.gate) await waitAtGate(rule.gate);
      if (rule?.failure) throwFailure(activity, rule.failure);
      const result = await body(script);
      call.outcome = 'completed';
      return result;
    } catch (err) {
      call.outcome = err instanceof CancelledFailure ? 'cancelled' : 'failed';
      throw err;
    } finally {
      call.endedAt = Date.now();
      script.notify();
    }
  }
}

function chooseServices(script: WorkflowScript, input: ChooseServicesInput): { services: readonly string[] } {
  return { services: script.chosen ?? input.services.map((s) => s.name) };
}

function resolveImages(script: WorkflowScript, input: ResolveImagesInput): ResolveImagesResult {
  const images = Object.fromEntries(Object.entries(script.locked).map(([service, digest]) => [service, { digest }]));
  return { lockFile: input.selection.lockFile, headSha: input.headSha, blobSha: 'b10b5ha0000000000000000000000000000000000', images };
}

function urlOf(preview: PreviewRef, service: string): string {
  return `https://${service}-pr-${preview.prNumber}.${EXAMPLE_DOMAIN}`;
}

function deployApps(script: WorkflowScript, input: DeployAppsInput): DeployAppsResult {
  if (input.requestSync && script.readinessMode === 'sync-failed-until-requested') script.readinessMode = 'ready';
  return {
    namespace: namespaceOf(input.preview),
    applications: input.services.map((s) => ({ service: s.name, application: applicationOf(input.preview, s.name), phase: s.phase })),
    routes: input.services.filter((s) => s.expose).map((s) => ({ service: s.name, url: urlOf(input.preview, s.name), ...(s.name in script.routes && { awaitsAcceptance: true }) })),
  };
}

/** A route the script names: Ready behind an unaccepted route is Progressing, as the real activity says. */
function withRoute(script: WorkflowScript, preview: PreviewRef, state: ServiceReadiness): ServiceReadiness {
  const route = script.routes[state.service];
  if (!route) return state;
  const withState = { ...state, route: { url: urlOf(preview, state.service), ...route } };
  return route.accepted || state.state !== 'Ready' ? withState : { ...withState, state: 'Progressing', message: route.message };
}

/** Every requested service in one state, as the readiness activities report it. */
function scriptedStates(script: WorkflowScript, input: Pick<WaitReadyInput, 'preview' | 'services'>) {
  return (state: ServiceReadiness['state'], message?: string, terminal = false): ServiceReadiness[] =>
    input.services.map((service) => withRoute(script, input.preview, { service, application: applicationOf(input.preview, service), state, message, terminal }));
}

async function waitReady(script: WorkflowScript, input: WaitReadyInput): Promise<WaitReadyResult> {
  const states = scriptedStates(script, input);
  switch (script.readinessMode) {
    case 'ready': {
      const services = states('Ready');
      const ready = services.every((s) => s.state === 'Ready');
      if (!ready) await notReadyAfter(Math.min(input.timeoutMs ?? 0, 1_000));
      return { ready, outcome: ready ? 'Ready' : 'TimedOut', services };
    }
    case 'sync-failed':
    case 'sync-failed-until-requested':
      return { ready: false, outcome: 'Degraded', services: states('Degraded', 'sync Failed: one or more objects failed to apply', true) };
    case 'never':
      // The workflow always passes a slice; the real activity's default is the cluster's readyMs.
      await notReadyAfter(input.timeoutMs ?? 0);
      return { ready: false, outcome: 'TimedOut', services: states('Progressing', 'Deployment has 0/1 ready replicas') };
  }
}

function checkReady(script: WorkflowScript, input: CheckReadyInput): CheckReadyResult {
  const states = scriptedStates(script, input);
  switch (script.readinessMode) {
    case 'ready': {
      const services = states('Ready');
      const ready = services.every((s) => s.state === 'Ready');
      return { ready, outcome: ready ? 'Ready' : 'Progressing', services, recheck: script.recheck };
    }
    case 'sync-failed':
    case 'sync-failed-until-requested':
      return { ready: false, outcome: 'Degraded', services: states('Degraded', 'sync Failed: one or more objects failed to apply', true), recheck: script.recheck };
    case 'never':
      return { ready: false, outcome: 'Progressing', services: states('Progressing', 'Deployment has 0/1 ready replicas'), recheck: script.recheck };
  }
}

function teardownStep(script: WorkflowScript, input: TeardownInput): TeardownStepResult {
  const namespace = namespaceOf(input.preview);
  // A stuck script repeats its last stage for ever: the workflow's deadline has to end it.
  const last = script.stuck && script.teardownStages.length === 1;
  const stage = (last ? script.teardownStages[0] : script.teardownStages.shift()) ?? 'gone';
  const waitingFor = stage === 'applications' ? [`${namespace}-web`] : stage === 'namespace' ? [namespace] : [];
  return { namespace, stage, waitingFor, namespaceDeletionIssued: stage === 'namespace', namespaceExisted: true, stuckAfterMs: stage === 'gone' ? 0 : script.teardownStuckAfterMs, recheck: script.recheck };
}

function computeCost(script: WorkflowScript, input: ComputeCostInput): CostEstimate {
  const hours = Math.max(0, Date.parse(input.expiresAt) - Date.now()) / 3_600_000;
  return { currency: 'USD', perHour: script.costPerHour, projectedToExpiry: Math.round(script.costPerHour * hours * 100) / 100 };
}

function reportPreview(_report: PreviewReport): void {}

function teardown(input: TeardownInput): TeardownResult {
  return { namespace: namespaceOf(input.preview), namespaceDeleted: true, deletedApplications: [], deletedRoutes: [], durationMs: 0 };
}

/** The name the real activities derive (src/database previewDatabaseName) for short namespaces. */
function databaseOf(namespace: string): string {
  return `preview_${namespace.replaceAll('-', '_')}`;
}

function fetchBootstrapSql(script: WorkflowScript, input: FetchBootstrapSqlInput): FetchBootstrapSqlResult {
  const sql = script.bootstrapSql;
  if (sql === undefined) return { found: false, path: input.path, ref: input.headSha };
  return { found: true, path: input.path, ref: input.headSha, sql, bytes: Buffer.byteLength(sql), sha256: 'a'.repeat(64) };
}

function provisionDatabase(input: ProvisionDatabaseInput): ProvisionDatabaseResult {
  const name = databaseOf(input.namespace);
  const bootstrap = input.bootstrapSql ? { state: 'applied' as const, sha256: 'a'.repeat(64) } : { state: 'none' as const };
  return { database: name, role: name, secretName: 'preview-database', created: { role: true, database: true }, passwordGenerated: true, bootstrap };
}

function dropDatabase(input: DropDatabaseInput): DropDatabaseResult {
  return { database: databaseOf(input.namespace), databaseDropped: true, roleDropped: true, terminatedSessions: 0 };
}

function applicationOf(preview: PreviewRef, service: string): string {
  return `${namespaceOf(preview)}-${service}`;
}

/** As GitHub's check-runs and combined-status APIs answer for the head, reduced to the gate's names. */
function readChecks(script: WorkflowScript, input: ReadChecksInput): ChecksReading {
  const seen = script.checks[input.headSha] ?? { checkRuns: [], statuses: [] };
  return {
    headSha: input.headSha,
    checkRuns: seen.checkRuns.filter((r) => input.names.includes(r.name)),
    statuses: seen.statuses.filter((s) => input.names.includes(s.context)),
  };
}
