import type { RedeliverySkips, WebhookDelivery } from '../../workflows/contract';

// Which failed webhook deliveries to ask GitHub to redeliver. Pure: the activity lists the
// deliveries and calls this; the tests drive it with arbitrary delivery lists.
//
// GitHub's deliveries list is the memory. A redelivery is a new attempt of the same event: same
// `guid`, `redelivery: true`, listed from the moment GitHub accepts the request. So an event is
// asked again only while none of its attempts succeeded (2xx) and none is a redelivery, whoever
// asked for it (a person clicking Redeliver, or an earlier run). Nothing to keep in the
// workflow or a database, and a run that crashed after its POST cannot cause a second one: the
// next run sees the attempt. The cost is that an event whose one redelivery also failed (still
// down) is not asked a third time: the brief is "once", and such an event is counted in
// `previewd_webhook_failed_deliveries` for a person to look at.
//
// Redelivering is safe for previewd because the ingress treats a delivery id it already
// accepted as a duplicate (the race issue's fix): a redelivery of an event that did arrive
// changes nothing.

export interface RedeliveryWindow {
  /** Epoch ms. */
  readonly now: number;
  readonly lookBackMs: number;
  readonly maxPerRun: number;
}

export interface RedeliverySelection {
  /** Events (guids) with a failed attempt in the window and no successful one. */
  readonly failed: number;
  /** One attempt per event to redeliver (its latest failed one), oldest event first. */
  readonly redeliver: readonly WebhookDelivery[];
  readonly skipped: RedeliverySkips;
}

/** The receiver took the delivery. Anything else (3xx, 4xx, 5xx, 0 for no answer) is a failure. */
export function isDelivered(delivery: Pick<WebhookDelivery, 'statusCode'>): boolean {
  return delivery.statusCode >= 200 && delivery.statusCode < 300;
}

/** Inside the look-back window; an unreadable time never is (nothing is redelivered on a guess). */
export function isWithinWindow(delivery: Pick<WebhookDelivery, 'deliveredAt'>, window: Pick<RedeliveryWindow, 'now' | 'lookBackMs'>): boolean {
  const at = Date.parse(delivery.deliveredAt);
  return Number.isFinite(at) && at >= window.now - window.lookBackMs;
}

/**
 * GitHub lists deliveries newest first: once a page holds one older than the window, the later
 * pages hold only older ones, and every attempt of an event that failed inside the window
 * (its redeliveries, its successes) is newer than that failure, so it has been listed already.
 */
export function pageReachesWindowStart(page: readonly Pick<WebhookDelivery, 'deliveredAt'>[], window: Pick<RedeliveryWindow, 'now' | 'lookBackMs'>): boolean {
  return page.some((d) => !isWithinWindow(d, window));
}

function byGuid(deliveries: readonly WebhookDelivery[]): Map<string, WebhookDelivery[]> {
  const groups = new Map<string, WebhookDelivery[]>();
  for (const d of deliveries) {
    const group = groups.get(d.guid);
    if (group) group.push(d);
    else groups.set(d.guid, [d]);
  }
  return groups;
}

const deliveredAtMs = (d: WebhookDelivery): number => Date.parse(d.deliveredAt);

/** The latest of an event's attempts (by time, then id: ids grow with time on GitHub). */
function latest(attempts: readonly WebhookDelivery[]): WebhookDelivery {
  return attempts.reduce((a, b) => (deliveredAtMs(b) > deliveredAtMs(a) || (deliveredAtMs(b) === deliveredAtMs(a) && b.id > a.id) ? b : a));
}

type Verdict = 'redeliver' | 'recovered' | 'alreadyRedelivered' | 'outsideWindow';

function verdictOf(attempts: readonly WebhookDelivery[], window: RedeliveryWindow): Verdict {
  if (attempts.some(isDelivered)) return 'recovered';
  if (attempts.some((d) => d.redelivery)) return 'alreadyRedelivered';
  return isWithinWindow(latest(attempts), window) ? 'redeliver' : 'outsideWindow';
}

export function selectRedeliveries(deliveries: readonly WebhookDelivery[], window: RedeliveryWindow): RedeliverySelection {
  const skipped = { recovered: 0, alreadyRedelivered: 0, outsideWindow: 0, overCap: 0 };
  const candidates: WebhookDelivery[] = [];
  let failed = 0;
  for (const attempts of byGuid(deliveries).values()) {
    const failures = attempts.filter((d) => !isDelivered(d));
    if (failures.length === 0) continue;
    const verdict = verdictOf(attempts, window);
    if (verdict !== 'recovered' && failures.some((d) => isWithinWindow(d, window))) failed++;
    if (verdict === 'redeliver') candidates.push(latest(failures));
    else skipped[verdict]++;
  }
  candidates.sort((a, b) => deliveredAtMs(a) - deliveredAtMs(b) || a.id - b.id);
  const redeliver = candidates.slice(0, window.maxPerRun);
  skipped.overCap = candidates.length - redeliver.length;
  return { failed, redeliver, skipped };
}
