import fc from 'fast-check';
import type { WebhookDelivery } from '../../../workflows/contract';
import { isDelivered, isWithinWindow, pageReachesWindowStart, selectRedeliveries, type RedeliveryWindow } from '../../../src/webhook-redelivery';

// The selection of failed webhook deliveries to redeliver, over GitHub's list (newest first,
// one entry per attempt, redeliveries sharing the event's guid).

const SEED = Number(process.env.PREVIEWD_FC_SEED ?? Date.now() % 2 ** 31);
const NOW = Date.parse('2026-12-02T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WINDOW: RedeliveryWindow = { now: NOW, lookBackMs: DAY, maxPerRun: 100 };

let nextId = 1;
function delivery(guid: string, statusCode: number, ageMs: number, redelivery = false): WebhookDelivery {
  return { id: nextId++, guid, deliveredAt: new Date(NOW - ageMs).toISOString(), redelivery, statusCode, event: 'pull_request', action: 'opened' };
}

describe('selectRedeliveries', () => {
  it('redelivers a failed event and leaves a delivered one alone', () => {
    const failed = delivery('g-failed', 503, HOUR);
    const result = selectRedeliveries([delivery('g-ok', 202, HOUR), failed], WINDOW);
    expect(result.redeliver).toEqual([failed]);
    expect(result.failed).toBe(1);
  });

  it('skips an event whose later attempt succeeded', () => {
    const result = selectRedeliveries([delivery('g', 200, HOUR, true), delivery('g', 503, 2 * HOUR)], WINDOW);
    expect(result.redeliver).toEqual([]);
    expect(result.skipped.recovered).toBe(1);
    expect(result.failed).toBe(0);
  });

  it('skips an event already redelivered, even when that redelivery failed too (once per event)', () => {
    const result = selectRedeliveries([delivery('g', 0, HOUR, true), delivery('g', 503, 2 * HOUR)], WINDOW);
    expect(result.redeliver).toEqual([]);
    expect(result.skipped.alreadyRedelivered).toBe(1);
    // Still lost: counted for the gauge.
    expect(result.failed).toBe(1);
  });

  it('leaves failures older than the look-back window alone', () => {
    const result = selectRedeliveries([delivery('old', 500, DAY + 1)], WINDOW);
    expect(result.redeliver).toEqual([]);
    expect(result.skipped.outsideWindow).toBe(1);
  });

  it('treats 3xx, 4xx and 0 (no answer) as failures', () => {
    const result = selectRedeliveries([delivery('a', 301, HOUR), delivery('b', 404, HOUR), delivery('c', 0, HOUR)], WINDOW);
    expect(result.redeliver.map((d) => d.guid).sort()).toEqual(['a', 'b', 'c']);
  });

  it('asks for the oldest events first, at most maxPerRun, and counts the rest', () => {
    const result = selectRedeliveries([delivery('new', 503, HOUR), delivery('mid', 503, 2 * HOUR), delivery('old', 503, 3 * HOUR)], { ...WINDOW, maxPerRun: 2 });
    expect(result.redeliver.map((d) => d.guid)).toEqual(['old', 'mid']);
    expect(result.skipped.overCap).toBe(1);
  });

  it('never redelivers an attempt whose time cannot be read', () => {
    const result = selectRedeliveries([{ ...delivery('g', 503, HOUR), deliveredAt: 'yesterday' }], WINDOW);
    expect(result.redeliver).toEqual([]);
  });
});

describe('pageReachesWindowStart', () => {
  it('is true once a page holds a delivery older than the window', () => {
    expect(pageReachesWindowStart([delivery('a', 200, HOUR)], WINDOW)).toBe(false);
    expect(pageReachesWindowStart([delivery('a', 200, HOUR), delivery('b', 200, 2 * DAY)], WINDOW)).toBe(true);
  });
});

// --- Properties over realistic delivery lists -------------------------------------------------

const STATUS_CODES = [0, 200, 202, 204, 301, 400, 401, 404, 422, 500, 502, 503, 504];

/** Attempts of a few events over GitHub's 3 days, in GitHub's order (newest first), ids growing with time. */
const deliveriesArb = fc
  .array(
    fc.record({
      guid: fc.constantFrom('g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8'),
      statusCode: fc.constantFrom(...STATUS_CODES),
      ageMs: fc.integer({ min: 0, max: 3 * DAY }),
      redelivery: fc.boolean(),
    }),
    { maxLength: 40 },
  )
  .map((rows) =>
    [...rows]
      .sort((a, b) => b.ageMs - a.ageMs)
      .map((r, i): WebhookDelivery => ({ id: i + 1, guid: r.guid, deliveredAt: new Date(NOW - r.ageMs).toISOString(), redelivery: r.redelivery, statusCode: r.statusCode, event: 'pull_request', action: 'synchronize' }))
      .reverse(),
  );

const windowArb = fc.record({ now: fc.constant(NOW), lookBackMs: fc.integer({ min: HOUR, max: 3 * DAY }), maxPerRun: fc.integer({ min: 1, max: 10 }) });

describe('selectRedeliveries, properties', () => {
  beforeAll(() => console.info(`fast-check seed ${SEED} (repeat with PREVIEWD_FC_SEED=${SEED})`));

  it('asks at most once per event, never for an event with a 2xx attempt, never outside the window, never past the cap', () => {
    fc.assert(
      fc.property(deliveriesArb, windowArb, (deliveries, window) => {
        const { redeliver } = selectRedeliveries(deliveries, window);
        const guids = redeliver.map((d) => d.guid);
        expect(new Set(guids).size).toBe(guids.length);
        expect(redeliver.length).toBeLessThanOrEqual(window.maxPerRun);
        for (const d of redeliver) {
          expect(deliveries).toContainEqual(d);
          expect(isDelivered(d)).toBe(false);
          expect(isWithinWindow(d, window)).toBe(true);
          const attempts = deliveries.filter((a) => a.guid === d.guid);
          expect(attempts.some(isDelivered)).toBe(false);
          expect(attempts.some((a) => a.redelivery)).toBe(false);
        }
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it('accounts for every failed event exactly once', () => {
    fc.assert(
      fc.property(deliveriesArb, windowArb, (deliveries, window) => {
        const { redeliver, skipped } = selectRedeliveries(deliveries, window);
        const failing = new Set(deliveries.filter((d) => !isDelivered(d)).map((d) => d.guid));
        expect(redeliver.length + skipped.recovered + skipped.alreadyRedelivered + skipped.outsideWindow + skipped.overCap).toBe(failing.size);
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it('over successive runs, GitHub listing each requested redelivery (whatever it answered), no event is asked twice', () => {
    fc.assert(
      fc.property(deliveriesArb, windowArb, fc.array(fc.constantFrom(...STATUS_CODES), { minLength: 64, maxLength: 64 }), fc.integer({ min: 2, max: 5 }), (initial, window, answers, runs) => {
        let list = initial;
        let id = initial.length + 1;
        const asked: string[] = [];
        for (let run = 0; run < runs; run++) {
          const now = window.now + run * 10 * 60_000;
          const { redeliver } = selectRedeliveries(list, { ...window, now });
          asked.push(...redeliver.map((d) => d.guid));
          // GitHub lists each redelivery as a new attempt of the same event, newest first.
          const attempts = redeliver.map((d, i): WebhookDelivery => ({ ...d, id: id++, redelivery: true, deliveredAt: new Date(now + i).toISOString(), statusCode: answers[(id + i) % answers.length] ?? 0 }));
          list = [...attempts.reverse(), ...list];
        }
        expect(new Set(asked).size).toBe(asked.length);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
