import type { Client } from '@temporalio/client';
import { TemporalUnavailableError } from '../errors';
import {
  checksChangedSignal,
  destroySignal,
  extendSignal,
  prEventSignal,
  PREVIEW_WORKFLOW_TYPE,
  PreviewPullRequest,
  PreviewRepository,
  redeploySignal,
  type PreviewLifecycleWorkflow,
} from '../../workflows/contract';
import type { Dispatch, SignalMessage } from './dispatch';
import { PROBE_DEADLINE_MS, temporalAnswers } from '../observability/temporal-reachability';
import type { IngressMetrics } from './ingress-metrics';
import { previewUiMetadata } from './preview-ui-metadata';
import { classifyTemporalError } from './temporal-errors';

// Carries out a routing decision. It returns only once Temporal has durably accepted the
// message (or said the preview does not exist); anything else throws, and the reply is not 2xx.

export type DispatchOutcome =
  | { readonly result: 'accepted'; readonly workflowId: string; readonly runId?: string }
  /** `why`: the event could not have created one either (creation policy). */
  | { readonly result: 'no_preview'; readonly workflowId: string; readonly why?: string }
  | { readonly result: 'ignored'; readonly reason: string };

export interface TemporalDispatcherOptions {
  readonly client: Client;
  readonly taskQueue: string;
  /** Deadline per call; past it the delivery is answered 503. */
  readonly timeoutMs: number;
  readonly metrics?: IngressMetrics;
}

const SIGNALS = { prEvent: prEventSignal, extend: extendSignal, destroy: destroySignal, redeploy: redeploySignal, checksChanged: checksChangedSignal } as const;

export class TemporalDispatcher {
  constructor(private readonly options: TemporalDispatcherOptions) {}

  async dispatch(decision: Dispatch): Promise<DispatchOutcome> {
    switch (decision.kind) {
      case 'ignore':
        return { result: 'ignored', reason: decision.reason };
      case 'signal-with-start':
        return this.call('signalWithStart', async () => {
          const handle = await this.options.client.workflow.signalWithStart<PreviewLifecycleWorkflow, [typeof decision.event]>(PREVIEW_WORKFLOW_TYPE, {
            workflowId: decision.workflowId,
            taskQueue: this.options.taskQueue,
            args: [decision.input],
            signal: prEventSignal,
            signalArgs: [decision.event],
            // The UI's summary and details: repository and PR number only, never PR text.
            ...previewUiMetadata(decision.input, decision.event),
            // Findable in the UI and by previewctl before the workflow's first task runs.
            typedSearchAttributes: [
              // One spelling (lower-case), as the workflow writes it: `previewctl list --repo` finds it however it is typed.
              { key: PreviewRepository, value: decision.input.pr.repository.toLowerCase() },
              { key: PreviewPullRequest, value: decision.input.pr.number },
            ],
          });
          return { result: 'accepted', workflowId: decision.workflowId, runId: handle.signaledRunId };
        });
      case 'signal':
        return this.call('signal', async () => {
          await this.signal(decision.workflowId, decision.message);
          return { result: 'accepted', workflowId: decision.workflowId };
        }, { result: 'no_preview', workflowId: decision.workflowId, why: decision.why });
    }
  }

  /** Pings the frontend; for /readyz, so within a probe's usual timeout rather than the accept deadline. */
  ready(): Promise<boolean> {
    return temporalAnswers(this.options.client.connection, Math.min(this.options.timeoutMs, PROBE_DEADLINE_MS));
  }

  private async signal(workflowId: string, message: SignalMessage): Promise<void> {
    const handle = this.options.client.workflow.getHandle(workflowId);
    // The union keeps each signal's argument type tied to its definition.
    switch (message.name) {
      case 'prEvent':
        return handle.signal(SIGNALS.prEvent, message.arg);
      case 'extend':
        return handle.signal(SIGNALS.extend, message.arg);
      case 'destroy':
        return handle.signal(SIGNALS.destroy, message.arg);
      case 'redeploy':
        return handle.signal(SIGNALS.redeploy, message.arg);
      case 'checksChanged':
        return handle.signal(SIGNALS.checksChanged, message.arg);
    }
  }

  private async call(operation: string, fn: () => Promise<DispatchOutcome>, ifMissing?: DispatchOutcome): Promise<DispatchOutcome> {
    const { client, metrics, timeoutMs } = this.options;
    try {
      const outcome = await client.connection.withDeadline(Date.now() + timeoutMs, fn);
      metrics?.temporalCalls.inc({ operation, outcome: 'ok' });
      return outcome;
    } catch (err) {
      const kind = classifyTemporalError(err);
      metrics?.temporalCalls.inc({ operation, outcome: kind });
      if (kind === 'not_found' && ifMissing !== undefined) return ifMissing;
      if (kind === 'unavailable') throw new TemporalUnavailableError(`Temporal did not accept the event: ${(err as Error).message}`, { cause: err });
      throw err;
    }
  }
}
