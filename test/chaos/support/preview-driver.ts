import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { TemporalUnavailableError } from '../../../src/errors';
import { TemporalDispatcher, type DispatchOutcome } from '../../../src/ingress/temporal-dispatcher';
import { previewWorkflowId } from '../../../src/lifecycle';
import type { ChaosRepository } from './chaos-cluster';
import type { LifecycleOptions } from '../../../src/config';
import { type PreviewOutcome, type PrEvent, PreviewPhase } from '../../../workflows/contract';

// Drives previews the way the webhook ingress does: the same dispatcher, signal-with-start for
// `opened`, a plain signal for `closed`. When Temporal does not accept an event the ingress
// answers 503 and GitHub redelivers it (same delivery id); the driver does the same. Progress
// is read with DescribeWorkflowExecution (search attributes, pending activities), which the
// server answers without a worker, so it works while the worker is dead.

export const sha = (pr: number): string => (pr.toString(16).padStart(2, '0') + 'c4a05').repeat(8).slice(0, 40);

const POLL_MS = 500;
/** PendingActivityState STARTED and CANCEL_REQUESTED: a worker holds the activity. */
const HELD_BY_A_WORKER: ReadonlySet<number> = new Set([2, 3]);
/** GitHub gives up on a delivery after a while too; past this the scenario has failed. */
const REDELIVERY_WINDOW_MS = 180_000;

export class TimedOutError extends Error {
  override readonly name = 'TimedOutError';
}

export class PreviewDriver {
  private readonly dispatcher: TemporalDispatcher;
  /** Deliveries Temporal did not accept (the ingress's 503s), each redelivered. */
  unavailable = 0;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly repo: ChaosRepository,
    private readonly options: LifecycleOptions,
  ) {
    this.dispatcher = new TemporalDispatcher({ client, taskQueue, timeoutMs: 5_000 });
  }

  workflowId(pr: number): string {
    return previewWorkflowId({ repository: this.repo.config.fullName, number: pr });
  }

  async open(pr: number): Promise<void> {
    const event = this.event(pr, 'opened');
    const input = {
      pr: { repository: this.repo.config.fullName, number: pr, headSha: sha(pr), labels: ['preview'], author: 'chaos' },
      config: this.repo.config,
      // Runs end right after their teardown (no retention): the driver awaits their outcome.
      options: { retainAfterTeardown: '0s', ...this.options },
    };
    const outcome = await this.deliver(() => this.dispatcher.dispatch({ kind: 'signal-with-start', workflowId: this.workflowId(pr), input, event }));
    if (outcome.result !== 'accepted') throw new Error(`opening PR ${pr}: ${JSON.stringify(outcome)}`);
  }

  async close(pr: number): Promise<void> {
    const arg = this.event(pr, 'closed');
    const outcome = await this.deliver(() => this.dispatcher.dispatch({ kind: 'signal', workflowId: this.workflowId(pr), message: { name: 'prEvent', arg } }));
    if (outcome.result !== 'accepted') throw new Error(`closing PR ${pr}: ${JSON.stringify(outcome)}`);
  }

  /** The run as the server sees it; undefined while the server does not answer. */
  async describe(pr: number): Promise<WorkflowExecutionDescription | undefined> {
    try {
      return await this.client.workflow.getHandle(this.workflowId(pr)).describe();
    } catch {
      return undefined;
    }
  }

  static phaseOf(description: WorkflowExecutionDescription): string | undefined {
    return description.typedSearchAttributes.get(PreviewPhase);
  }

  /**
   * Activities a worker started at or after `since` and has not finished: what killing the
   * worker that started then loses. (An activity lost by an earlier kill stays "started" on
   * the server until its timeout; the time keeps it from being counted again.)
   */
  static startedActivities(description: WorkflowExecutionDescription, since: number): string[] {
    return (description.raw.pendingActivities ?? [])
      .filter((a) => HELD_BY_A_WORKER.has(Number(a.state)) && timestampMs(a.lastStartedTime) >= since)
      .map((a) => a.activityType?.name ?? '?');
  }

  /** Waits until the phase is `phase`; Failed or Degraded end the wait with an error. */
  async waitPhase(pr: number, phase: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: string | undefined;
    while (Date.now() < deadline) {
      const d = await this.describe(pr);
      last = d ? PreviewDriver.phaseOf(d) : last;
      if (last === phase) return;
      if (last === 'Failed' || last === 'Degraded') throw new Error(`PR ${pr} went ${last} instead of ${phase}`);
      await delay(POLL_MS);
    }
    throw new TimedOutError(`PR ${pr} not ${phase} within ${timeoutMs} ms (last phase ${last ?? 'unknown'})`);
  }

  /** Waits until the run has completed and returns its result. */
  async outcome(pr: number, timeoutMs: number): Promise<PreviewOutcome> {
    const deadline = Date.now() + timeoutMs;
    let last = 'unknown';
    while (Date.now() < deadline) {
      const d = await this.describe(pr);
      last = d?.status.name ?? last;
      if (d && d.status.name !== 'RUNNING') {
        if (d.status.name !== 'COMPLETED') throw new Error(`PR ${pr}: workflow ${d.status.name}`);
        return (await this.client.workflow.getHandle(this.workflowId(pr)).result()) as PreviewOutcome;
      }
      await delay(POLL_MS);
    }
    throw new TimedOutError(`PR ${pr}: workflow still ${last} after ${timeoutMs} ms`);
  }

  /** Ends a run the scenario gave up on, so nothing keeps working on the shared server. */
  async terminate(pr: number): Promise<void> {
    try {
      await this.client.workflow.getHandle(this.workflowId(pr)).terminate('chaos scenario cleanup');
    } catch {
      // Already completed, or the server is gone: nothing left to stop.
    }
  }

  /** Ends every run of PRs 1…count the scenario gave up on. */
  async terminateAll(count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, (_, i) => this.terminate(i + 1)));
  }

  private event(pr: number, action: 'opened' | 'closed'): PrEvent {
    return { action, headSha: sha(pr), labels: ['preview'], sender: 'chaos', deliveryId: `chaos-${this.repo.key}-${pr}-${action}` };
  }

  private async deliver(send: () => Promise<DispatchOutcome>): Promise<DispatchOutcome> {
    const deadline = Date.now() + REDELIVERY_WINDOW_MS;
    for (;;) {
      try {
        return await send();
      } catch (err) {
        if (!(err instanceof TemporalUnavailableError) || Date.now() > deadline) throw err;
        this.unavailable += 1;
        await delay(1_000);
      }
    }
  }
}

/** A protobuf Timestamp (seconds may be a Long) in epoch milliseconds; 0 when absent. */
function timestampMs(ts: { seconds?: number | { toNumber(): number } | null; nanos?: number | null } | null | undefined): number {
  if (!ts?.seconds) return 0;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber();
  return seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
