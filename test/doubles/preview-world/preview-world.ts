import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type {
  ApplyBaselineInput,
  ApplyBaselineResult,
  CheckReadyInput,
  CheckReadyResult,
  ComputeCostInput,
  DeployAppsInput,
  DeployAppsResult,
  EnsureNamespaceInput,
  LifecycleActivities,
  PreviewActivities,
  PreviewDatabaseActivities,
  PreviewActivityName,
  PreviewReport,
  PreviewRef,
  PullRequestReading,
  ReadPullRequestInput,
  ServiceReadiness,
  Recheck,
  TeardownInput,
  TeardownResult,
  TeardownStepResult,
  WaitReadyInput,
  WaitReadyResult,
} from '../../../workflows/contract';
import { newestDestroyCommand } from '../../../src/github';
import { ClusterModel, modelApplicationName, modelNamespaceName, type ModelApplication } from './cluster-model';
import { GitHubModel } from './github-model';
import { PreviewBehaviour } from './preview-behaviour';

// The lifecycle's activities over a small model of the world (the cluster, GitHub), run by a
// real Worker. Unlike the scripted doubles (../preview-activity-doubles.ts), these keep state:
// a namespace exists until a teardown deletes it, an Application runs the head it was last
// applied with, GitHub shows the last report that got through. That is what lets a test state
// invariants over the end result of any event order, instead of expecting a call sequence.
//
// The real activities can do none of this at the required pace: a case runs dozens of steps
// in a few hundred milliseconds, and the failures injected here (API server outages, GitHub
// hanging or down for longer than a report's retry budget) would take minutes to produce.

// No race case enables a database: a call would be a workflow bug, so it fails loudly.
const noDatabase = (step: string) => () => Promise.reject(ApplicationFailure.nonRetryable(`${step}: no database is configured in the race cases (test double)`, 'ValidationError'));
const NO_DATABASE_STEPS: PreviewDatabaseActivities = {
  fetchBootstrapSql: noDatabase('fetchBootstrapSql'),
  provisionDatabase: noDatabase('provisionDatabase'),
  dropDatabase: noDatabase('dropDatabase'),
};

export type CallOutcome = 'running' | 'completed' | 'failed' | 'cancelled';

export interface WorldCall {
  readonly activity: PreviewActivityName;
  readonly key: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly attempt: number;
  readonly input: unknown;
  readonly startedAt: number;
  outcome: CallOutcome;
  endedAt?: number;
  error?: string;
}

/** `repoKey#n`: how the world keys a preview (and its pull request). */
export function previewKey(preview: Pick<PreviewRef, 'repoKey' | 'prNumber'>): string {
  return `${preview.repoKey}#${preview.prNumber}`;
}

const CLUSTER_ACTIVITIES: ReadonlySet<PreviewActivityName> = new Set(['ensureNamespace', 'applyBaseline', 'deployApps', 'waitReady', 'checkReady', 'teardown', 'teardownStep']);
/** The model answers at once: the workflow looks again soon (the real cluster's cadence is seconds). */
const WORLD_RECHECK: Recheck = { afterMs: 20, maxAfterMs: 200 };
/** How long a teardown stage may last before the workflow calls it stuck (the model never gets near it). */
const WORLD_STUCK_AFTER_MS = 600_000;

/** How soon a transient failure is retried: the retry policies' seconds, compressed. */
const QUICK_RETRY = '10ms';
const READINESS_POLL_MS = 5;
/** The cluster setting `timeouts.readyMs` stands behind an absent `timeoutMs`; the model never gets near it. */
const DEFAULT_READY_TIMEOUT_MS = 600_000;

type Listener = () => void;

export class PreviewWorld {
  readonly cluster = new ClusterModel();
  readonly github = new GitHubModel();
  private readonly behaviours = new Map<string, PreviewBehaviour>();
  private readonly calls = new Map<string, WorldCall[]>();
  private readonly listeners = new Set<Listener>();

  behaviour(key: string): PreviewBehaviour {
    let b = this.behaviours.get(key);
    if (!b) {
      b = new PreviewBehaviour();
      this.behaviours.set(key, b);
    }
    return b;
  }

  callsOf(key: string, activity?: PreviewActivityName): readonly WorldCall[] {
    const all = this.calls.get(key) ?? [];
    return activity ? all.filter((c) => c.activity === activity) : all;
  }

  /** Attempts still running on a worker, optionally not counting some activities. */
  running(key: string, except: readonly PreviewActivityName[] = []): WorldCall[] {
    return this.callsOf(key).filter((c) => c.outcome === 'running' && !except.includes(c.activity));
  }

  /** Resolves once `probe` returns a value, re-checking whenever a call starts or ends. */
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
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The activities a Worker runs; `overrides` replace single ones (a real activity over the model, say). */
  activities(overrides: Partial<PreviewActivities> = {}): LifecycleActivities {
    return {
      ...NO_DATABASE_STEPS,
      // Duration samples are recorded (they show in `calls`) and otherwise do nothing here.
      recordPreviewDuration: () => Promise.resolve(),
      ensureNamespace: (input) => this.run('ensureNamespace', input.preview, input, () => this.ensureNamespace(input)),
      applyBaseline: (input) => this.run('applyBaseline', input.preview, input, () => this.applyBaseline(input)),
      chooseServices: (input) =>
        this.run('chooseServices', input.preview, input, () => Promise.resolve({ services: this.behaviour(previewKey(input.preview)).chosen ?? input.services.map((s) => s.name) })),
      deployApps: (input) => this.run('deployApps', input.preview, input, () => this.deployApps(input)),
      waitReady: (input) => this.run('waitReady', input.preview, input, () => this.waitReady(input)),
      checkReady: (input) => this.run('checkReady', input.preview, input, () => Promise.resolve(this.checkReady(input))),
      computeCost: (input) => this.run('computeCost', input.preview, input, () => Promise.resolve(this.computeCost(input))),
      reportPreview: (report) => this.run('reportPreview', report.preview, report, () => this.reportPreview(report)),
      teardown: (input) => this.run('teardown', input.preview, input, () => this.teardown(input)),
      teardownStep: (input) => this.run('teardownStep', input.preview, input, () => Promise.resolve(this.teardownStep(input))),
      // The race cases deploy by tag (images.mode tag): no lock file is ever read.
      resolveImages: () => Promise.reject(ApplicationFailure.nonRetryable('images.mode is tag: no lock file is read (test double)', 'ValidationError')),
      readPullRequest: (input) => this.run('readPullRequest', input.preview, input, () => this.readPullRequest(input)),
      // The race cases have no CI gate: a call means a bug.
      readChecks: () => Promise.reject(ApplicationFailure.nonRetryable('no gate is configured in the race cases (test double)', 'ValidationError')),
      ...overrides,
    };
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async run<T>(activity: PreviewActivityName, preview: PreviewRef, input: unknown, body: () => Promise<T>): Promise<T> {
    const ctx = Context.current();
    const key = previewKey(preview);
    const execution = ctx.info.workflowExecution;
    const call: WorldCall = { activity, key, workflowId: execution?.workflowId ?? '', runId: execution?.runId ?? '', attempt: ctx.info.attempt, input, startedAt: Date.now(), outcome: 'running' };
    this.calls.set(key, [...(this.calls.get(key) ?? []), call]);
    this.notify();
    try {
      const behaviour = this.behaviour(key);
      if (CLUSTER_ACTIVITIES.has(activity)) {
        await pause(behaviour.clusterLatencyMs);
        if (behaviour.takeClusterError()) throw ApplicationFailure.create({ type: 'KubernetesUnavailable', message: `${activity}: the API server is unavailable (test double)`, nextRetryDelay: QUICK_RETRY });
      }
      const hold = behaviour.holdOf(activity);
      if (hold) await untilReleased(hold.released);
      const result = await body();
      call.outcome = 'completed';
      return result;
    } catch (err) {
      call.outcome = err instanceof CancelledFailure ? 'cancelled' : 'failed';
      call.error = err instanceof Error ? err.message : String(err);
      throw shutdownAsRetry(err);
    } finally {
      call.endedAt = Date.now();
      this.notify();
    }
  }

  private writableNamespace(preview: PreviewRef): string {
    const name = modelNamespaceName(preview);
    const ns = this.cluster.namespace(name);
    if (!ns) throw ApplicationFailure.nonRetryable(`namespace "${name}" does not exist; ensureNamespace must run first`, 'NamespaceNotFound');
    if (ns.terminating) throw ApplicationFailure.nonRetryable(`namespace "${name}" is being deleted`, 'NamespaceTerminating');
    return name;
  }

  private ensureNamespace(input: EnsureNamespaceInput): Promise<{ namespace: string; created: boolean }> {
    const name = modelNamespaceName(input.preview);
    const existing = this.cluster.namespace(name);
    if (existing?.terminating) {
      throw ApplicationFailure.create({ type: 'NamespaceStillDeleting', message: `namespace "${name}" is still being deleted; retrying until it is gone`, nextRetryDelay: QUICK_RETRY });
    }
    if (!existing) this.cluster.createNamespace(name, input.workflowId);
    return Promise.resolve({ namespace: name, created: !existing });
  }

  private applyBaseline(input: ApplyBaselineInput): Promise<ApplyBaselineResult> {
    return Promise.resolve({ namespace: this.writableNamespace(input.preview), objects: [] });
  }

  private deployApps(input: DeployAppsInput): Promise<DeployAppsResult> {
    const namespace = this.writableNamespace(input.preview);
    const services = input.services.filter((s) => s.phase === input.phase);
    for (const service of services) {
      const name = modelApplicationName(input.preview, service.name);
      if (this.cluster.application(name)?.deleting) {
        throw ApplicationFailure.create({ type: 'KubernetesConflict', message: `Application ${name} is still being deleted; retrying until it is gone`, nextRetryDelay: QUICK_RETRY });
      }
      this.cluster.applyApplication({ name, namespace, service: service.name, headSha: input.headSha, appliedAt: Date.now(), deleting: false });
    }
    const pruned = input.keep ? this.pruneDeselected(input.preview, input.keep) : undefined;
    return Promise.resolve({
      namespace,
      applications: services.map((s) => ({ service: s.name, application: modelApplicationName(input.preview, s.name), phase: s.phase })),
      routes: services.filter((s) => s.expose).map((s) => ({ service: s.name, url: `https://${s.name}-pr-${input.preview.prNumber}.preview.example.test` })),
      ...(pruned && { pruned }),
    });
  }

  /** As the real deployApps does with `keep`: this preview's Applications of other services are deleted, the finalizer takes half the teardown latency. */
  private pruneDeselected(preview: PreviewRef, keep: readonly string[]): string[] {
    const latency = this.behaviour(previewKey(preview)).teardownLatencyMs;
    const deselected = this.cluster.applicationsOf(preview).filter((app) => !keep.includes(app.service));
    for (const app of deselected.filter((a) => !a.deleting)) {
      app.deleting = true;
      this.later(latency / 2, () => this.cluster.deleteApplication(app.name));
    }
    return deselected.map((app) => app.service).sort();
  }

  private readinessOf(preview: PreviewRef, service: string, headSha: string): ServiceReadiness {
    const application = modelApplicationName(preview, service);
    const app: ModelApplication | undefined = this.cluster.application(application);
    const lag = this.behaviour(previewKey(preview)).argoLagMs;
    if (!app || app.deleting) return { service, application, state: 'Missing', message: 'Application not found', terminal: false };
    if (app.headSha !== headSha) return { service, application, state: 'Progressing', message: `still at ${app.headSha.slice(0, 12)}`, terminal: false };
    if (Date.now() - app.appliedAt < lag) return { service, application, state: 'Progressing', message: 'Argo CD has not compared the new revision yet', terminal: false };
    return { service, application, state: 'Ready', terminal: false };
  }

  private async waitReady(input: WaitReadyInput): Promise<WaitReadyResult> {
    const deadline = Date.now() + (input.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    for (;;) {
      const services = input.services.map((s) => this.readinessOf(input.preview, s, input.headSha));
      if (services.every((s) => s.state === 'Ready')) return { ready: true, outcome: 'Ready', services };
      if (Date.now() >= deadline) return { ready: false, outcome: 'TimedOut', services };
      await pause(Math.min(READINESS_POLL_MS, deadline - Date.now()));
    }
  }

  private checkReady(input: CheckReadyInput): CheckReadyResult {
    const services = input.services.map((s) => this.readinessOf(input.preview, s, input.headSha));
    const ready = services.every((s) => s.state === 'Ready');
    return { ready, outcome: ready ? 'Ready' : 'Progressing', services, recheck: WORLD_RECHECK };
  }

  /**
   * One step of a teardown as the real one takes it: Applications are deleted first (their
   * finalizer takes half the teardown latency), then the namespace (the other half); each call
   * issues what is not under way yet and says what is left.
   */
  private teardownStep(input: TeardownInput): TeardownStepResult {
    const name = modelNamespaceName(input.preview);
    const latency = this.behaviour(previewKey(input.preview)).teardownLatencyMs;
    const ns = this.cluster.namespace(name);
    const base = { namespace: name, detail: undefined, namespaceExisted: ns !== undefined, stuckAfterMs: WORLD_STUCK_AFTER_MS, recheck: WORLD_RECHECK };
    const apps = this.cluster.applicationsOf(input.preview);
    if (apps.length > 0) {
      for (const app of apps.filter((a) => !a.deleting)) {
        app.deleting = true;
        this.later(latency / 2, () => this.cluster.deleteApplication(app.name));
      }
      return { ...base, stage: 'applications', waitingFor: apps.map((a) => a.name), namespaceDeletionIssued: false };
    }
    if (!ns) return { ...base, stage: 'gone', waitingFor: [], namespaceDeletionIssued: false, stuckAfterMs: 0 };
    const issue = !ns.terminating;
    if (issue) {
      ns.terminating = true;
      this.later(latency / 2, () => this.cluster.deleteNamespace(name));
    }
    return { ...base, stage: 'namespace', waitingFor: [name], namespaceDeletionIssued: issue };
  }

  /** Something the cluster finishes on its own after the call returned (a finalizer, namespace deletion). */
  private later(ms: number, change: () => void): void {
    setTimeout(() => {
      change();
      this.notify();
    }, ms);
  }

  private computeCost(input: ComputeCostInput): { currency: string; perHour: number; projectedToExpiry: number } {
    const perHour = 0.0625;
    const hours = Math.max(0, Date.parse(input.expiresAt) - Date.now()) / 3_600_000;
    return { currency: 'USD', perHour, projectedToExpiry: Math.round(perHour * hours * 100) / 100 };
  }

  private async reportPreview(report: PreviewReport): Promise<void> {
    const key = previewKey(report.preview);
    const behaviour = this.behaviour(key);
    await pause(behaviour.githubLatencyMs);
    for (;;) {
      switch (behaviour.github) {
        case 'up':
          this.github.accept(key, report);
          return;
        case 'flaky':
          throw ApplicationFailure.create({ type: 'GitHubUnavailable', message: 'GitHub answered 502 (test double)', nextRetryDelay: QUICK_RETRY });
        case 'down':
          throw ApplicationFailure.nonRetryable('GitHub was unavailable for longer than the report may take (test double)', 'GitHubUnavailable');
        case 'hanging':
          await untilReleased(behaviour.hanging.released);
      }
    }
  }

  /**
   * The PR as the API answers. GitHub in any condition but `up` fails the read at once (the
   * workflow then skips the confirmation): an outage of the API is an outage of webhooks' reports too.
   */
  private async readPullRequest(input: ReadPullRequestInput): Promise<PullRequestReading> {
    const key = previewKey(input.preview);
    const behaviour = this.behaviour(key);
    await pause(behaviour.githubLatencyMs);
    if (behaviour.github !== 'up') throw ApplicationFailure.nonRetryable(`GitHub is ${behaviour.github} (test double)`, 'GitHubUnavailable');
    const pr = this.github.pullRequest(key);
    if (!pr) throw ApplicationFailure.nonRetryable(`pull request ${key} is unknown to the model`, 'GitHubUnavailable');
    // The comments GitHub lists `since` (by updated_at; these are never edited), read by previewd's own selection.
    const since = input.since;
    const listed = since === undefined ? [] : this.github.comments(key).filter((c) => Date.parse(c.created_at) >= Date.parse(since));
    const destroyCommand = since === undefined ? undefined : newestDestroyCommand(listed, since);
    return { configured: true, state: pr.state, draft: pr.draft, labels: [...pr.labels], headSha: pr.headSha, updatedAt: pr.updatedAt, ...(destroyCommand && { destroyCommand }) };
  }

  private async teardown(input: TeardownInput): Promise<TeardownResult> {
    const startedAt = Date.now();
    const name = modelNamespaceName(input.preview);
    const latency = this.behaviour(previewKey(input.preview)).teardownLatencyMs;
    // Applications first: their finalizer prunes what Argo CD deployed.
    const deletedApplications = this.cluster.applicationsOf(input.preview).map((app) => app.name);
    for (const app of this.cluster.applicationsOf(input.preview)) app.deleting = true;
    await pause(latency / 2);
    for (const app of this.cluster.applicationsOf(input.preview)) this.cluster.deleteApplication(app.name);
    const ns = this.cluster.namespace(name);
    const result = { namespace: name, deletedApplications, deletedRoutes: [] };
    if (!ns) return { ...result, namespaceDeleted: false, durationMs: Date.now() - startedAt };
    ns.terminating = true;
    await pause(latency / 2);
    this.cluster.deleteNamespace(name);
    return { ...result, namespaceDeleted: true, durationMs: Date.now() - startedAt };
  }
}

/** Heartbeats, then sleeps; a cancellation (teardown, worker shutdown) ends the wait at once. */
async function pause(ms: number): Promise<void> {
  const ctx = Context.current();
  ctx.heartbeat();
  if (ms > 0) await ctx.sleep(ms);
}

async function untilReleased(released: Promise<void>): Promise<void> {
  const ctx = Context.current();
  let done = false;
  void released.then(() => (done = true));
  while (!done) {
    ctx.heartbeat();
    await Promise.race([released, ctx.sleep(50)]);
  }
}

/**
 * A call cut short by a worker shutdown is retried on the next worker. The SDK would report it
 * as a failure retried after the policy's interval (seconds); the double asks for an early retry
 * instead, as for every other transient failure here.
 */
function shutdownAsRetry(err: unknown): unknown {
  if (!(err instanceof CancelledFailure) || !Context.current().cancellationDetails?.workerShutdown) return err;
  return ApplicationFailure.create({ type: 'WorkerShutdown', message: 'the worker shut down during the call (test double)', nextRetryDelay: QUICK_RETRY });
}
