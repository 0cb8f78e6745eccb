import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { JANITOR_SCHEDULE_ID, JANITOR_WORKFLOW_ID, JANITOR_WORKFLOW_TYPE, type JanitorInput, type JanitorWorkflow } from '../../workflows/contract';
import { durationMs, type PreviewdConfig } from '../config';
import { clientConnectionOptions } from '../temporal-client';
import { ensureSchedule, type ScheduleDefinition, type ScheduleOutcome, type StartupLogger } from './schedules';

// The Temporal Schedule that runs the orphan-namespace janitor. Every worker replica calls
// ensureJanitorSchedule at start, so the schedule always matches the config of the latest
// rollout (src/worker/schedules.ts: created, updated, or paused with a note).
//
// `janitor.enabled: false` pauses it: an operator can still trigger one run by hand (with
// `dryRun` to see what it would do).

export type JanitorScheduleOutcome = ScheduleOutcome;

export interface EnsureJanitorScheduleOptions {
  /** Tests use their own id; processes use the fixed one, which is what makes this idempotent. */
  readonly scheduleId?: string;
}

function definition(config: Pick<PreviewdConfig, 'janitor' | 'temporal'>): ScheduleDefinition<JanitorWorkflow> {
  const { janitor } = config;
  const input: JanitorInput = { retentionMs: durationMs(janitor.retention), dryRun: janitor.dryRun };
  return {
    spec: { intervals: [{ every: durationMs(janitor.interval) }] },
    action: { type: 'startWorkflow', workflowType: JANITOR_WORKFLOW_TYPE, taskQueue: config.temporal.taskQueue, workflowId: JANITOR_WORKFLOW_ID, args: [input] },
    // A run still going when the next is due (a slow teardown) makes the next one pointless.
    // Runs missed while Temporal was down are not made up: the next one covers them.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1m', pauseOnFailure: false },
    state: janitor.enabled
      ? { paused: false, note: `previewd janitor: every ${janitor.interval}, retention ${janitor.retention}${janitor.dryRun ? ', dry run' : ''}` }
      : { paused: true, note: 'previewd janitor disabled by config (janitor.enabled: false)' },
  };
}

/** Creates the janitor's schedule, or brings an existing one in line with `config`. */
export function ensureJanitorSchedule(client: Client, config: Pick<PreviewdConfig, 'janitor' | 'temporal'>, options: EnsureJanitorScheduleOptions = {}): Promise<JanitorScheduleOutcome> {
  return ensureSchedule(client, options.scheduleId ?? JANITOR_SCHEDULE_ID, definition(config), config.janitor.enabled);
}

export interface JanitorClient {
  /** For the janitor activities (visibility, describe) and the schedule. */
  readonly client: Client;
  close(): Promise<void>;
}

/**
 * What a worker process does for the janitor at start: a client of its own (a Connection, not
 * the worker's NativeConnection, whose client the SDK still calls experimental in how it
 * reports errors, and the janitor's safety rests on telling "not found" from "failed"), and
 * the schedule brought up to date. A schedule that cannot be written is logged, not fatal:
 * previews matter more than their safety net, and the next start tries again.
 */
export async function startJanitorClient(config: Pick<PreviewdConfig, 'janitor' | 'temporal'>, logger: StartupLogger): Promise<JanitorClient> {
  const connection = await Connection.connect({ ...clientConnectionOptions(config.temporal), connectTimeout: 10_000 });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  try {
    const outcome = await ensureJanitorSchedule(client, config);
    logger.info({ scheduleId: JANITOR_SCHEDULE_ID, outcome, interval: config.janitor.interval, retention: config.janitor.retention, dryRun: config.janitor.dryRun }, 'janitor schedule');
  } catch (err) {
    logger.error({ scheduleId: JANITOR_SCHEDULE_ID, err: err instanceof Error ? err.message : String(err) }, 'janitor schedule could not be written; orphaned namespaces are not cleaned up until it is');
  }
  return { client, close: () => connection.close() };
}
