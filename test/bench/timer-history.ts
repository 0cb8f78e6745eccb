import type { Client } from '@temporalio/client';
import { previewWorkflowId } from '../../src/lifecycle';

// Where a late expiry lost its time: the server's TimerFired event says when Temporal fired the
// timer; the workflow's teardown-requested event says when the worker ran the task it woke.

export interface HistoryEvent {
  readonly eventTime?: { readonly seconds?: number | { toNumber(): number } | null; readonly nanos?: number | null } | null;
  readonly timerFiredEventAttributes?: unknown;
  readonly workflowTaskStartedEventAttributes?: unknown;
  readonly workflowTaskCompletedEventAttributes?: unknown;
}

/** An event's time (epoch ms). */
export function eventMillis(event: HistoryEvent): number {
  const seconds = event.eventTime?.seconds;
  const s = typeof seconds === 'number' ? seconds : (seconds?.toNumber() ?? 0);
  return s * 1000 + (event.eventTime?.nanos ?? 0) / 1e6;
}

/** Time of the last TimerFired event of the preview's workflow (epoch ms), if any. */
export async function lastTimerFired(client: Client, repository: string, number: number): Promise<number | undefined> {
  const history = await client.workflow.getHandle(previewWorkflowId({ repository, number })).fetchHistory();
  const fired = ((history.events ?? []) as HistoryEvent[]).filter((e) => e.timerFiredEventAttributes);
  const last = fired.at(-1);
  return last ? eventMillis(last) : undefined;
}
