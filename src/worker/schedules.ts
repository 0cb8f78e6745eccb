import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleOptionsStartWorkflowAction, type ScheduleUpdateOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

// previewd's Temporal Schedules (the janitor, lost-delivery recovery) are kept in line with the
// config by every worker replica at start. The config is the source of truth: an update
// replaces the whole definition. A schedule that is switched off is paused rather than deleted:
// it stays in the UI with the reason as its note, an operator can still trigger one run by hand,
// and switching it on again is a config change. One switched off that never existed is not created.

/** What the worker's start logs about its schedules. */
export interface StartupLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export type ScheduleOutcome = 'created' | 'updated' | 'paused' | 'absent';

export type ScheduleDefinition<W extends Workflow> = ScheduleUpdateOptions<ScheduleOptionsStartWorkflowAction<W>>;

/**
 * Creates the schedule, or brings an existing one in line with `wanted`. Two replicas starting
 * at once both try to create; the loser sees ScheduleAlreadyRunning and updates instead.
 */
export async function ensureSchedule<W extends Workflow>(client: Client, scheduleId: string, wanted: ScheduleDefinition<W>, enabled: boolean): Promise<ScheduleOutcome> {
  const update = () => client.schedule.getHandle(scheduleId).update<W>(() => wanted);
  if (!enabled) {
    try {
      await update();
      return 'paused';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'absent';
      throw err;
    }
  }
  try {
    await client.schedule.create({ scheduleId, ...wanted });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await update();
  return 'updated';
}
