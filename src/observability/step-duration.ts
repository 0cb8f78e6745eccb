import type { Context as ActivityContext } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import type { Counter, Histogram } from 'prom-client';
import { FailureType } from '../../workflows/contract';

// Every lifecycle step is one activity, so timing each activity execution on the worker gives
// the step durations: per attempt, labelled by activity type and how the attempt ended. Failed
// attempts are also counted by failure type, so a dashboard tells an outage (…Unavailable, retried)
// from a refusal (…Forbidden, …Invalid, final) without reading logs. Only what an attempt throws on
// this worker is seen: a timeout (a worker that died mid-attempt) is the server's, not counted here.

export type StepOutcome = 'success' | 'failure' | 'cancelled';

export type StepDurationHistogram = Histogram<'step' | 'outcome'>;
export type StepErrorCounter = Counter<'step' | 'type'>;

/** The `type` label of anything that is not one of the contract's failure types: the label set stays bounded. */
export const UNCLASSIFIED_STEP_ERROR = 'Unclassified';

const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.values(FailureType));

/** The contract's failure type an attempt failed with (workflows/contract/failure-types.ts), or `Unclassified`. */
export function stepErrorType(error: unknown): string {
  return error instanceof ApplicationFailure && error.type && KNOWN_TYPES.has(error.type) ? error.type : UNCLASSIFIED_STEP_ERROR;
}

/** A step the workflow cancelled (or the worker's shutdown cancelled) is not a failure of the step. */
export function stepOutcomeOf(error: unknown, cancellationRequested: boolean): StepOutcome {
  if (error === undefined) return 'success';
  if (error instanceof CancelledFailure) return 'cancelled';
  if (cancellationRequested && error instanceof Error && error.name === 'AbortError') return 'cancelled';
  return 'failure';
}

class StepDurationInterceptor implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: ActivityContext,
    private readonly histogram: StepDurationHistogram,
    private readonly errors?: StepErrorCounter,
  ) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const stop = this.histogram.startTimer({ step: this.ctx.info.activityType });
    let error: unknown;
    try {
      return await next(input);
    } catch (err) {
      error = err ?? new Error('activity threw nothing');
      throw err;
    } finally {
      const outcome = stepOutcomeOf(error, this.ctx.cancellationSignal.aborted);
      stop({ outcome });
      if (outcome === 'failure') this.errors?.inc({ step: this.ctx.info.activityType, type: stepErrorType(error) });
    }
  }
}

/** For `WorkerOptions.interceptors.activity`. */
export function stepDurationInterceptors(histogram: StepDurationHistogram, errors?: StepErrorCounter): ActivityInterceptorsFactory {
  return (ctx) => ({ inbound: new StepDurationInterceptor(ctx, histogram, errors) });
}
