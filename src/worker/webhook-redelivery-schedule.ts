import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { WEBHOOK_REDELIVERY_SCHEDULE_ID, WEBHOOK_REDELIVERY_WORKFLOW_ID, WEBHOOK_REDELIVERY_WORKFLOW_TYPE, type WebhookRedeliveryInput, type WebhookRedeliveryWorkflow } from '../../workflows/contract';
import { durationMs, type PreviewdConfig } from '../config';
import { ensureSchedule, type ScheduleDefinition, type ScheduleOutcome, type StartupLogger } from './schedules';

// The Temporal Schedule that recovers lost webhook deliveries (workflows/webhook-redelivery.ts),
// kept in line with the config by every worker replica at start, like the janitor's.
//
// It runs only with GitHub App credentials: the deliveries list and the redelivery request take
// the App's JWT, and a personal or installation token cannot stand in for it. Without them the
// schedule is paused with a note that says so (a token setup has to click Redeliver by hand).

type RedeliveryConfig = Pick<PreviewdConfig, 'webhookRedelivery' | 'github' | 'temporal'>;

export interface EnsureRedeliveryScheduleOptions {
  /** Tests use their own id; processes use the fixed one. */
  readonly scheduleId?: string;
}

/** Why the schedule is paused, or undefined when it runs. */
function pausedBecause(config: RedeliveryConfig): string | undefined {
  if (!config.webhookRedelivery.enabled) return 'previewd webhook redelivery disabled by config (webhookRedelivery.enabled: false)';
  if (config.github.auth?.type !== 'app') return 'previewd webhook redelivery paused: it needs GitHub App credentials (github.auth type app); a token cannot read webhook deliveries';
  return undefined;
}

function definition(config: RedeliveryConfig): ScheduleDefinition<WebhookRedeliveryWorkflow> {
  const settings = config.webhookRedelivery;
  const input: WebhookRedeliveryInput = { lookBackMs: durationMs(settings.lookBack), maxPerRun: settings.maxPerRun };
  const paused = pausedBecause(config);
  return {
    spec: { intervals: [{ every: durationMs(settings.interval) }] },
    action: { type: 'startWorkflow', workflowType: WEBHOOK_REDELIVERY_WORKFLOW_TYPE, taskQueue: config.temporal.taskQueue, workflowId: WEBHOOK_REDELIVERY_WORKFLOW_ID, args: [input] },
    // Two runs at once would both see an event without its redelivery and both ask: never overlap.
    // Missed runs are not made up: the next one looks back over the whole window anyway.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1m', pauseOnFailure: false },
    state: paused ? { paused: true, note: paused } : { paused: false, note: `previewd webhook redelivery: every ${settings.interval}, look-back ${settings.lookBack}, at most ${settings.maxPerRun} a run` },
  };
}

/** Creates the schedule, or brings an existing one in line with `config` (paused without App credentials). */
export function ensureRedeliverySchedule(client: Client, config: RedeliveryConfig, options: EnsureRedeliveryScheduleOptions = {}): Promise<ScheduleOutcome> {
  return ensureSchedule(client, options.scheduleId ?? WEBHOOK_REDELIVERY_SCHEDULE_ID, definition(config), pausedBecause(config) === undefined);
}

/** At worker start: like the janitor's, a schedule that cannot be written is logged, not fatal. */
export async function writeRedeliverySchedule(client: Client, config: RedeliveryConfig, logger: StartupLogger): Promise<void> {
  try {
    const outcome = await ensureRedeliverySchedule(client, config);
    logger.info({ scheduleId: WEBHOOK_REDELIVERY_SCHEDULE_ID, outcome, interval: config.webhookRedelivery.interval, lookBack: config.webhookRedelivery.lookBack, paused: pausedBecause(config) }, 'webhook redelivery schedule');
  } catch (err) {
    logger.error(
      { scheduleId: WEBHOOK_REDELIVERY_SCHEDULE_ID, err: err instanceof Error ? err.message : String(err) },
      'webhook redelivery schedule could not be written; failed webhook deliveries are not redelivered until it is',
    );
  }
}
