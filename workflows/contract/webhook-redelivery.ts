// Lost-delivery recovery's contract: the schedule's input, the run's result, and the two
// activities. GitHub does not redeliver a failed webhook delivery by itself, so the
// `previewd-webhook-redelivery` Schedule lists the App's recent deliveries and asks GitHub to
// redeliver each failed one, once. The result is visible in the Temporal UI: it carries
// GitHub's delivery ids, guids, events and status codes, never payloads.

/** One webhook delivery as GitHub's "list deliveries for an app webhook" reports it (the fields previewd reads). */
export interface WebhookDelivery {
  /** This attempt's id (each redelivery is a new attempt with a new id). */
  readonly id: number;
  /** The event's id (`X-GitHub-Delivery`), shared by a delivery and all its redeliveries. */
  readonly guid: string;
  /** ISO-8601. */
  readonly deliveredAt: string;
  /** True for an attempt made by "Redeliver" (by a person, or by this schedule). */
  readonly redelivery: boolean;
  /** What the receiver answered; 0 when it answered nothing (timeout, connection refused). */
  readonly statusCode: number;
  readonly event: string;
  readonly action: string | null;
}

/** The schedule's argument to each run. */
export interface WebhookRedeliveryInput {
  /** Failed deliveries older than this are left alone. */
  readonly lookBackMs: number;
  /** Redeliveries one run asks for at most (oldest first). */
  readonly maxPerRun: number;
}

/** Why a failed delivery was not asked again; summary keys, counted per guid. */
export interface RedeliverySkips {
  /** Another attempt of the same event was answered 2xx: previewd has it. */
  readonly recovered: number;
  /** A redelivery of the event was already asked for (by a person, or by an earlier run). */
  readonly alreadyRedelivered: number;
  /** Failed before the look-back window. */
  readonly outsideWindow: number;
  /** Past `maxPerRun`: the next run asks for them. */
  readonly overCap: number;
}

export type RedeliveryScan =
  /** No GitHub App credentials: the deliveries list needs the App's JWT, which a token cannot stand in for. */
  | { readonly configured: false; readonly reason: string }
  | {
      readonly configured: true;
      /** Delivery attempts listed (within the window, plus the page that crossed it). */
      readonly listed: number;
      /** Events (guids) whose attempts in the window all failed. */
      readonly failed: number;
      /** The latest failed attempt of each event to redeliver, oldest event first. */
      readonly redeliver: readonly WebhookDelivery[];
      readonly skipped: RedeliverySkips;
    };

export interface RedeliverWebhookDeliveryInput {
  readonly delivery: WebhookDelivery;
}

export interface RedeliveryRequested {
  readonly id: number;
  readonly guid: string;
  readonly event: string;
}

export interface FailedRedelivery {
  readonly id: number;
  readonly guid: string;
  readonly error: string;
}

export interface WebhookRedeliverySummary {
  /** False when the worker has no GitHub App credentials: nothing was looked at. */
  readonly configured: boolean;
  readonly listed: number;
  readonly failed: number;
  readonly requested: readonly RedeliveryRequested[];
  readonly failedRequests: readonly FailedRedelivery[];
  readonly skipped: RedeliverySkips;
}

export interface WebhookRedeliveryActivities {
  /** Lists the App's deliveries in the window (newest first, by cursor) and selects the failed events to redeliver. */
  listFailedWebhookDeliveries(input: WebhookRedeliveryInput): Promise<RedeliveryScan>;
  /** `POST /app/hook/deliveries/{id}/attempts`: asks GitHub to deliver this attempt again. Not idempotent: the workflow calls it once. */
  redeliverWebhookDelivery(input: RedeliverWebhookDeliveryInput): Promise<RedeliveryRequested>;
}
