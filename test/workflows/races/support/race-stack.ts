import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { PreviewActivities } from '../../../../workflows/contract';
import type { PreviewdConfigInput } from '../../../../src/config';
import { previewWorkflowId } from '../../../../src/lifecycle';
import { buildIngress, WEBHOOK_PATH } from '../../../../src/ingress';
import { createLogger } from '../../../../src/observability';
import { PreviewWorld, previewKey } from '../../../doubles/preview-world';
import { harnessState, uniqueId } from '../../../harness';
import { commentEvent, signedDelivery, type PrTarget } from '../../../integration/ingress/github-examples';
import { SECRET, testConfig } from '../../../integration/ingress/support';
import { bundlePreviewWorkflows } from '../../support';
import { TRIGGER_LABEL, type TriggerSpec } from './pull-request-simulation';
import type { Via } from './race-case';
import { guardedInterceptors } from '../../../../src/temporal-client';

// Everything a race case runs against: the harness's Temporal dev server, one real Worker (the
// real workflow bundle, activities over the world model), and the real ingress app in the
// three conditions a delivery can meet (as deployed, throttled, Temporal unreachable), each
// built once per continue-as-new threshold because that threshold is ingress configuration.

/** The operator keys of the repositories, one per trigger policy a case may pick. */
const REPOSITORY_KEYS = { 'label+nodrafts': 'rl', 'label+drafts': 'rld', 'always+nodrafts': 'ra', 'always+drafts': 'rad' } as const;
type PolicyName = keyof typeof REPOSITORY_KEYS;

const policyName = (t: TriggerSpec): PolicyName => `${t.mode}+${t.drafts ? 'drafts' : 'nodrafts'}`;

const source = (name: string) => ({ repoURL: 'https://git.example.test/gitops.git', path: `apps/${name}`, image: `registry.example.test/race/${name}` });

/** Lifecycle options of every case: readiness waits short enough that a stuck wait shows within a case. */
// Torn-down runs stay for the whole case (production: 3 days), answering redeliveries. A report
// GitHub did not take is offered again within seconds (production: 1 min doubling to 30 min), so
// the final check (quiet waits for timers due within 30 s) sees it.
const LIFECYCLE = { readinessTimeout: '3s', readinessSlice: '1s', recentEvents: 1_000, retainAfterTeardown: '1h', reportRetry: '5s', reportRetryMax: '10s' } as const;

/** Temporal is "down" for the outage ingress: nothing listens on this port. */
const UNREACHABLE_TEMPORAL = '127.0.0.1:1';

export interface RaceTarget extends PrTarget {
  /** The world's key of the preview (and of the PR). */
  readonly key: string;
  readonly repoKey: string;
  readonly workflowId: string;
}

export interface RaceStackOptions {
  /** Real activities (over the model) in place of some doubles, e.g. the real cost activity. */
  readonly activities?: (world: PreviewWorld) => Partial<PreviewActivities>;
}

export class RaceStack {
  readonly world = new PreviewWorld();
  private readonly apps = new Map<string, FastifyInstance>();
  private readonly suffix = Math.random().toString(36).slice(2, 8);
  private nextNumber = 1 + Math.floor(Math.random() * 1_000) * 1_000;
  private worker?: { worker: Worker; running: Promise<void> };
  private restarts = 0;

  private constructor(
    readonly client: Client,
    private readonly connection: Connection,
    private readonly native: NativeConnection,
    private readonly bundle: WorkflowBundle,
    readonly taskQueue: string,
    private readonly options: RaceStackOptions,
  ) {}

  static async start(options: RaceStackOptions = {}): Promise<RaceStack> {
    const { temporal } = harnessState();
    const bundle = await bundlePreviewWorkflows();
    const connection = await Connection.connect({ address: temporal.address, interceptors: guardedInterceptors() });
    const native = await NativeConnection.connect({ address: temporal.address });
    const stack = new RaceStack(new Client({ connection, namespace: temporal.namespace }), connection, native, bundle, uniqueId('races'), options);
    await stack.startWorker();
    return stack;
  }

  repository(trigger: TriggerSpec): string {
    return `acme/races-${REPOSITORY_KEYS[policyName(trigger)]}-${this.suffix}`;
  }

  /** A pull request no earlier case used, so cases never share a workflow, a namespace or a PR. */
  nextTarget(trigger: TriggerSpec): RaceTarget {
    const repoKey = REPOSITORY_KEYS[policyName(trigger)];
    const number = this.nextNumber++;
    const repository = this.repository(trigger);
    return { repository, number, repoKey, key: previewKey({ repoKey, prNumber: number }), workflowId: previewWorkflowId({ repository, number }) };
  }

  /** Signs the payload as GitHub does and posts it to the ingress in the given condition. */
  async deliver(via: Via, continueAsNewAfterEvents: number, event: string, payload: unknown, deliveryId: string): Promise<LightMyRequestResponse> {
    const app = await this.ingress(via, continueAsNewAfterEvents);
    const d = await signedDelivery(event, payload, SECRET, deliveryId);
    return app.inject({ method: 'POST', url: WEBHOOK_PATH, headers: d.headers, payload: d.body });
  }

  /** Stops the worker (in-flight calls are cut short after a brief grace time) and starts a fresh one. */
  async restartWorker(): Promise<void> {
    await this.stopWorker();
    this.restarts++;
    await this.startWorker();
  }

  get workerRestarts(): number {
    return this.restarts;
  }

  async stop(): Promise<void> {
    for (const app of this.apps.values()) await app.close();
    await this.stopWorker();
    // Previews the cases left running would otherwise wait for their TTL on the shared dev server.
    for await (const wf of this.client.workflow.list({ query: `TaskQueue = '${this.taskQueue}' AND ExecutionStatus = 'Running'` })) {
      await this.client.workflow
        .getHandle(wf.workflowId, wf.runId)
        .terminate('race suite finished')
        .catch((err: unknown) => {
          // Ended between the listing and now: nothing left to stop.
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        });
    }
    await this.native.close();
    await this.connection.close();
  }

  private async startWorker(): Promise<void> {
    const { temporal } = harnessState();
    const worker = await Worker.create({
      connection: this.native,
      namespace: temporal.namespace,
      taskQueue: this.taskQueue,
      workflowBundle: this.bundle,
      activities: this.world.activities(this.options.activities?.(this.world)),
      // A restart is a disturbance of its own; waiting seconds for in-flight calls adds nothing.
      shutdownGraceTime: '100ms',
      stickyQueueScheduleToStartTimeout: '1s',
      defaultHeartbeatThrottleInterval: '50ms',
      maxHeartbeatThrottleInterval: '50ms',
    });
    this.worker = { worker, running: worker.run() };
  }

  private async stopWorker(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    w.worker.shutdown();
    await w.running;
  }

  private config(via: Via, continueAsNewAfterEvents: number): PreviewdConfigInput {
    const { temporal } = harnessState();
    const repositories = (Object.keys(REPOSITORY_KEYS) as PolicyName[]).map((name) => {
      const [mode, drafts] = name.split('+') as ['label' | 'always', string];
      const trigger = { mode, drafts: drafts === 'drafts' } as const;
      return {
        fullName: this.repository(trigger),
        key: REPOSITORY_KEYS[name],
        scope: 'all' as const,
        trigger: { ...trigger, label: TRIGGER_LABEL },
        services: [
          { name: 'db', phase: 610, source: source('db') },
          { name: 'web', phase: 650, dependsOn: ['db'], expose: { port: 8080 }, source: source('web') },
        ],
      };
    });
    return {
      temporal: {
        address: via === 'outage' ? UNREACHABLE_TEMPORAL : temporal.address,
        namespace: temporal.namespace,
        taskQueue: this.taskQueue,
        // Unreachable is unreachable: no point waiting long for the 503.
        acceptTimeoutMs: via === 'outage' ? 100 : 10_000,
      },
      repositories,
      lifecycle: { ...LIFECYCLE, continueAsNewAfterEvents },
      // Throttled: one delivery per repository per hour, and warm-up spends it (see `ingress`).
      ingress: { rateLimit: via === 'throttled' ? { max: 1, window: '1h' } : { max: 1_000_000, window: '1m' } },
    };
  }

  private async ingress(via: Via, continueAsNewAfterEvents: number): Promise<FastifyInstance> {
    const id = `${via}/${continueAsNewAfterEvents}`;
    const existing = this.apps.get(id);
    if (existing) return existing;
    const config = testConfig(this.config(via, continueAsNewAfterEvents));
    // The outage ingress's client never reaches a server: a lazy connection to a closed port.
    const client = via === 'outage' ? new Client({ connection: Connection.lazy({ address: UNREACHABLE_TEMPORAL, connectTimeout: 100, interceptors: guardedInterceptors() }), namespace: config.temporal.namespace }) : this.client;
    const app = await buildIngress({ config, client, logger: createLogger({ level: 'silent' }) });
    this.apps.set(id, app);
    if (via === 'throttled') await this.spendRateLimit(app, config.repositories.map((r) => r.fullName));
    return app;
  }

  /** A comment that is not a command passes the rate limit and changes nothing: it spends each repository's one delivery. */
  private async spendRateLimit(app: FastifyInstance, repositories: readonly string[]): Promise<void> {
    for (const repository of repositories) {
      const payload = commentEvent({ repository, number: 1 }, { body: 'looks good to me' });
      const d = await signedDelivery('issue_comment', payload, SECRET);
      const res = await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers: d.headers, payload: d.body });
      if (res.statusCode !== 202) throw new Error(`warming the throttled ingress for ${repository}: ${res.statusCode} ${res.body}`);
    }
  }
}
