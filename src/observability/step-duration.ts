import type { Context as ActivityContext } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import type { Histogram } from 'prom-client';

// Every lifecycle step is one activity, so timing each activity execution on the worker gives
// the step durations: per attempt, labelled by activity type and how the attempt ended.

export type StepOutcome = 'success' | 'failure' | 'cancelled';

export type StepDurationHistogram = Histogram<'step' | 'outcome'>;

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
      stop({ outcome: stepOutcomeOf(error, this.ctx.cancellationSignal.aborted) });
    }
  }
}

/** For `WorkerOptions.interceptors.activity`. */
export function stepDurationInterceptors(histogram: StepDurationHistogram): ActivityInterceptorsFactory {
  return (ctx) => ({ inbound: new StepDurationInterceptor(ctx, histogram) });
}
