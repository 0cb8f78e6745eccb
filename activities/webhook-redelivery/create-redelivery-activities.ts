import type { Octokit, RestEndpointMethodTypes } from '@octokit/rest';
import { log } from '@temporalio/activity';
import { ApplicationFailure, type Logger } from '@temporalio/common';
import type { Registry } from 'prom-client';
import {
  FailureType,
  type RedeliveryRequested,
  type RedeliveryScan,
  type RedeliverWebhookDeliveryInput,
  type WebhookDelivery,
  type WebhookRedeliveryActivities,
  type WebhookRedeliveryInput,
} from '../../workflows/contract';
import { pageReachesWindowStart, selectRedeliveries } from '../../src/webhook-redelivery';
import { systemClock, type Clock } from '../clock';
import { createAppOctokit, toGitHubFailure, type GitHubCredentials } from '../github';
import { RedeliveryMetrics } from './redelivery-metrics';

// Lost-delivery recovery's I/O: the App's webhook deliveries (`GET /app/hook/deliveries`,
// newest first, paginated by cursor through the `Link` header) and the redelivery request
// (`POST /app/hook/deliveries/{id}/attempts`). Both take the App's JWT. The decision is
// src/webhook-redelivery's.

type DeliveryItem = RestEndpointMethodTypes['apps']['listWebhookDeliveries']['response']['data'][number];

/** GitHub's maximum page size. */
const PER_PAGE = 100;
/** A bound on one scan (5,000 attempts); a busier App still gets its newest failures first. */
const MAX_PAGES = 50;
/** The "repository" in failure messages: these calls concern the App, not a repository. */
const SUBJECT = 'the GitHub App';

export interface RedeliveryActivityDeps {
  /** previewd's GitHub credentials; absent, or a token: the scan reports "not configured". */
  readonly auth?: GitHubCredentials;
  readonly apiBaseUrl?: string;
  readonly requestTimeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Registry for the redelivery counter and the failed-deliveries gauge; absent: no such metrics. */
  readonly metricsRegistry?: Registry;
}

function toDelivery(item: DeliveryItem): WebhookDelivery {
  return { id: item.id, guid: item.guid, deliveredAt: item.delivered_at, redelivery: item.redelivery, statusCode: item.status_code, event: item.event, action: item.action };
}

async function listWindow(octokit: Octokit, window: { now: number; lookBackMs: number }): Promise<WebhookDelivery[]> {
  const listed: WebhookDelivery[] = [];
  let pages = 0;
  for await (const page of octokit.paginate.iterator(octokit.rest.apps.listWebhookDeliveries, { per_page: PER_PAGE })) {
    const deliveries = page.data.map(toDelivery);
    listed.push(...deliveries);
    if (pageReachesWindowStart(deliveries, window) || ++pages >= MAX_PAGES) break;
  }
  return listed;
}

function notConfigured(auth: GitHubCredentials | undefined): string {
  return auth
    ? "github.auth is a token: only a GitHub App's JWT can list and redeliver its webhook deliveries"
    : 'GitHub is not configured (github.auth): there are no webhook deliveries to read';
}

export function createRedeliveryActivities(deps: RedeliveryActivityDeps): WebhookRedeliveryActivities {
  const logger = deps.logger ?? log;
  const clock = deps.clock ?? systemClock;
  const metrics = deps.metricsRegistry && new RedeliveryMetrics(deps.metricsRegistry);
  const app = deps.auth && createAppOctokit({ auth: deps.auth, apiBaseUrl: deps.apiBaseUrl, requestTimeoutMs: deps.requestTimeoutMs, logger });
  const secrets = deps.auth?.type === 'app' ? [deps.auth.privateKey] : deps.auth ? [deps.auth.token] : [];
  const failure = (err: unknown) => toGitHubFailure(err, { operation: 'webhookDeliveries', repository: SUBJECT, now: clock.now(), secrets });

  return {
    async listFailedWebhookDeliveries(input: WebhookRedeliveryInput): Promise<RedeliveryScan> {
      if (!app) return { configured: false, reason: notConfigured(deps.auth) };
      const window = { now: clock.now(), lookBackMs: input.lookBackMs, maxPerRun: input.maxPerRun };
      let listed: WebhookDelivery[];
      try {
        listed = await listWindow(await app(), window);
      } catch (err) {
        throw failure(err);
      }
      const selection = selectRedeliveries(listed, window);
      metrics?.failedSeen(selection.failed);
      return { configured: true, listed: listed.length, failed: selection.failed, redeliver: selection.redeliver, skipped: selection.skipped };
    },

    async redeliverWebhookDelivery({ delivery }: RedeliverWebhookDeliveryInput): Promise<RedeliveryRequested> {
      if (!app) throw ApplicationFailure.nonRetryable(notConfigured(deps.auth), FailureType.GitHubNotConfigured);
      try {
        await (await app()).rest.apps.redeliverWebhookDelivery({ delivery_id: delivery.id });
      } catch (err) {
        metrics?.redelivery('failed');
        throw failure(err);
      }
      metrics?.redelivery('requested');
      logger.info('webhook redelivery requested', { deliveryId: delivery.id, guid: delivery.guid, event: delivery.event, statusCode: delivery.statusCode });
      return { id: delivery.id, guid: delivery.guid, event: delivery.event };
    },
  };
}
