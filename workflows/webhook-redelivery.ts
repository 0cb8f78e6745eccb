import { log, proxyActivities } from '@temporalio/workflow';
import { FailureType, type FailedRedelivery, type RedeliveryRequested, type RedeliverySkips, type WebhookRedeliveryActivities, type WebhookRedeliveryInput, type WebhookRedeliverySummary } from './contract';
import { describeFailure } from './failure-description';

// Lost-delivery recovery, started by a Temporal Schedule (src/worker/webhook-redelivery-schedule.ts).
// GitHub does not redeliver a failed webhook delivery by itself; this run lists the App's recent
// deliveries and asks GitHub to redeliver each failed event, once. Which events: the scan's
// selection (src/webhook-redelivery), whose memory is GitHub's own list: a redelivery is listed
// as a new attempt of the event, so the next run sees it and does not ask again. The run keeps
// no state of its own, so nothing is lost when a run fails or the schedule is recreated.

const { listFailedWebhookDeliveries } = proxyActivities<WebhookRedeliveryActivities>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5 },
});

// One attempt: a request GitHub accepted but whose answer was lost would be sent twice by a
// retry. A request that failed leaves no redelivery in GitHub's list, so the next run asks again.
const { redeliverWebhookDelivery } = proxyActivities<WebhookRedeliveryActivities>({
  startToCloseTimeout: '1m',
  retry: { maximumAttempts: 1 },
});

/** Failures that the remaining requests of this run would meet too: stop, the next run goes on. */
const STOPS_THE_RUN: readonly string[] = [FailureType.GitHubRateLimited, FailureType.GitHubPermission, FailureType.GitHubNotConfigured];

const NOTHING_SKIPPED: RedeliverySkips = { recovered: 0, alreadyRedelivered: 0, outsideWindow: 0, overCap: 0 };

export async function webhookRedelivery(input: WebhookRedeliveryInput): Promise<WebhookRedeliverySummary> {
  const scan = await listFailedWebhookDeliveries(input);
  if (!scan.configured) {
    log.info('webhook redelivery: not configured', { reason: scan.reason });
    return { configured: false, listed: 0, failed: 0, requested: [], failedRequests: [], skipped: NOTHING_SKIPPED };
  }
  const requested: RedeliveryRequested[] = [];
  const failedRequests: FailedRedelivery[] = [];
  // One at a time, oldest event first: GitHub's secondary rate limits punish bursts of writes,
  // and the ingress then sees a PR's events in the order they happened.
  for (const delivery of scan.redeliver) {
    try {
      requested.push(await redeliverWebhookDelivery({ delivery }));
    } catch (err) {
      const failure = describeFailure(err);
      log.warn('webhook redelivery: request failed', { deliveryId: delivery.id, guid: delivery.guid, error: failure.message, type: failure.type });
      failedRequests.push({ id: delivery.id, guid: delivery.guid, error: failure.type ? `${failure.type}: ${failure.message}` : failure.message });
      if (failure.type && STOPS_THE_RUN.includes(failure.type)) break;
    }
  }
  const summary: WebhookRedeliverySummary = { configured: true, listed: scan.listed, failed: scan.failed, requested, failedRequests, skipped: scan.skipped };
  log.info('webhook redelivery: run finished', { listed: summary.listed, failed: summary.failed, requested: requested.length, failedRequests: failedRequests.length, skipped: summary.skipped });
  return summary;
}
