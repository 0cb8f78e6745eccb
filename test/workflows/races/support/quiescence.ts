import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { PreviewActivityName } from '../../../../workflows/contract';
import type { PreviewWorld } from '../../../doubles/preview-world';

// "Quiet" is when the invariants may be checked: every delivery has been answered (the caller
// awaits them), no activity of the preview runs on a worker or waits for its retry, no workflow
// task is pending (so every signal in history has been handled), and the latest run is waiting
// (for a signal, or a timer further away than TIMER_HORIZON_MS such as the TTL) or closed. The
// server's describe() is strongly consistent and lists pending activities, retries included;
// the world counts the attempts it is running; pending timers, and a run that has not started
// yet, are read from the history. Two identical observations a little apart rule out a
// workflow task between them.

export interface QuietOptions {
  /** Activities whose pending calls do not count (a checkpoint ignores GitHub while it hangs). */
  readonly ignoring?: readonly PreviewActivityName[];
  readonly timeoutMs?: number;
}

const POLL_MS = 15;
const SETTLE_MS = 40;
/** A timer firing sooner than this is work still to come (a readiness pause, a retry the workflow schedules itself). */
const TIMER_HORIZON_MS = 30_000;
/**
 * While GitHub is ignored (a checkpoint during an outage), the reporter's retry timers (5 s and
 * more in the race stack) are GitHub's business too; readiness pauses (1 s) still count.
 */
const TIMER_HORIZON_IGNORING_GITHUB_MS = 3_000;

export class NotQuietError extends Error {
  override readonly name = 'NotQuietError';
}

interface Observation {
  readonly quiet: boolean;
  readonly signature: string;
  readonly detail: string;
}

async function observe(client: Client, world: PreviewWorld, workflowId: string, key: string, ignoring: readonly string[]): Promise<Observation> {
  const horizon = ignoring.includes('reportPreview') ? TIMER_HORIZON_IGNORING_GITHUB_MS : TIMER_HORIZON_MS;
  const running = world.running(key, ignoring as PreviewActivityName[]);
  // Attempts of ignored activities (GitHub flaky during a checkpoint) do not unsettle the signature.
  const calls = world.callsOf(key).filter((c) => !ignoring.includes(c.activity)).length;
  if (running.length > 0) return { quiet: false, signature: '', detail: `running on the worker: ${running.map((c) => c.activity).join(', ')}` };
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    const pending = (d.raw.pendingActivities ?? []).map((a) => a.activityType?.name ?? '?').filter((name) => !ignoring.includes(name));
    const signature = `${d.runId}/${d.status.name}/${d.historyLength}/${calls}`;
    if (d.status.name === 'CONTINUED_AS_NEW') return { quiet: false, signature, detail: 'between runs (continue-as-new)' };
    if (d.status.name !== 'RUNNING') return { quiet: true, signature, detail: `latest run ${d.status.name}` };
    if (d.raw.pendingWorkflowTask) return { quiet: false, signature, detail: 'a workflow task is pending' };
    if (pending.length > 0) return { quiet: false, signature, detail: `pending activities: ${pending.join(', ')}` };
    const ahead = await workAhead(client, workflowId, d.runId);
    if (ahead.firstTaskPending) return { quiet: false, signature, detail: 'the run has not run its first workflow task yet' };
    if (ahead.nextTimerAt !== undefined && ahead.nextTimerAt - Date.now() < horizon) return { quiet: false, signature, detail: `a timer fires in ${ahead.nextTimerAt - Date.now()} ms` };
    return { quiet: true, signature, detail: 'waiting' };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { quiet: true, signature: `none/${calls}`, detail: 'no run' };
    throw err;
  }
}

/**
 * What the history says is still to come: a run that has not run at all yet (the server delays
 * the first workflow task of a run continued-as-new soon after the previous one, and describe()
 * shows nothing pending meanwhile), and when the earliest pending timer fires (wall-clock ms).
 */
async function workAhead(client: Client, workflowId: string, runId: string): Promise<{ firstTaskPending: boolean; nextTimerAt?: number }> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const events = history.events ?? [];
  const pending = new Map<string, number>();
  for (const e of events) {
    const started = e.timerStartedEventAttributes;
    if (started?.timerId) pending.set(started.timerId, tsToMs(e.eventTime) + tsToMs(started.startToFireTimeout));
    const ended = e.timerFiredEventAttributes?.timerId ?? e.timerCanceledEventAttributes?.timerId;
    if (ended) pending.delete(ended);
  }
  return {
    firstTaskPending: !events.some((e) => e.workflowTaskCompletedEventAttributes),
    nextTimerAt: pending.size > 0 ? Math.min(...pending.values()) : undefined,
  };
}

export async function untilQuiet(client: Client, world: PreviewWorld, workflowId: string, key: string, options: QuietOptions = {}): Promise<void> {
  const ignoring = options.ignoring ?? [];
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let candidate: { signature: string; at: number } | undefined;
  let last = '';
  for (;;) {
    const o = await observe(client, world, workflowId, key, ignoring);
    last = o.detail;
    if (!o.quiet) candidate = undefined;
    else if (candidate?.signature !== o.signature) candidate = { signature: o.signature, at: Date.now() };
    else if (Date.now() - candidate.at >= SETTLE_MS) return;
    if (Date.now() > deadline) {
      throw new NotQuietError(`${workflowId} did not become quiet within ${options.timeoutMs ?? 20_000} ms (last: ${last}); calls: ${summary(world, key)}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function summary(world: PreviewWorld, key: string): string {
  return world
    .callsOf(key)
    .slice(-12)
    .map((c) => `${c.activity}#${c.attempt}:${c.outcome}`)
    .join(' ');
}
