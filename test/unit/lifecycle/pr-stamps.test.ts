import { commandStaleness, readDestroyRefusal, confirmationRefusal, isNewestPrState, prEventStaleness, stampsAfter } from '../../../src/lifecycle';
import type { PrEvent } from '../../../workflows/contract';

// Ordering late deliveries by GitHub's clock (issue 14, bugs 4 and 5c).

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString().replace(/\.\d{3}Z$/, 'Z');
const event = (action: PrEvent['action'], second: number, extra: Partial<PrEvent> = {}): PrEvent => ({
  action,
  headSha: 'a'.repeat(40),
  labels: ['preview'],
  sender: 'octocat',
  deliveryId: `d-${action}-${second}`,
  updatedAt: at(second),
  ...extra,
});

describe('prEventStaleness', () => {
  test('an event without a stamp, or a preview without stamps, is applied in arrival order', () => {
    expect(prEventStaleness({ ...event('synchronize', 1), updatedAt: undefined }, 'creates', { pr: at(5) })).toBeUndefined();
    expect(prEventStaleness(event('synchronize', 1), 'creates', undefined)).toBeUndefined();
  });

  test('a push older than the PR state already applied is stale', () => {
    expect(prEventStaleness(event('synchronize', 1), 'creates', { pr: at(2) })).toMatch(/older than the pull request state/);
    expect(prEventStaleness(event('synchronize', 3), 'creates', { pr: at(2) })).toBeUndefined();
  });

  test('within one second, the push whose head the current head replaced is the older one', () => {
    const b = 'b'.repeat(40);
    expect(prEventStaleness(event('synchronize', 2, { headSha: b }), 'creates', { pr: at(2), headBefore: b })).toMatch(/replaced/);
    expect(prEventStaleness(event('synchronize', 2, { headSha: 'c'.repeat(40) }), 'creates', { pr: at(2), headBefore: b })).toBeUndefined();
  });

  test('an ending event loses only to a newer creating event', () => {
    expect(prEventStaleness(event('closed', 1), 'ends', { pr: at(4), created: at(2) })).toMatch(/brought the preview up/);
    // A label added to the closed PR later does not make the close stale.
    expect(prEventStaleness(event('closed', 3), 'ends', { pr: at(4), created: at(2) })).toBeUndefined();
  });

  test('a creating event older than the applied ending event is stale', () => {
    expect(prEventStaleness(event('reopened', 1), 'creates', { ended: at(2) })).toMatch(/ended the preview/);
  });
});

describe('stampsAfter', () => {
  test('keeps the newest PR stamp, the creating and ending stamps, and the replaced head of a push', () => {
    const first = stampsAfter(event('opened', 1), 'creates', undefined, true);
    expect(first).toEqual({ pr: at(1), created: at(1), headBefore: undefined });
    const pushed = stampsAfter(event('synchronize', 3, { before: 'f'.repeat(40) }), 'creates', first, true);
    expect(pushed).toMatchObject({ pr: at(3), created: at(3), headBefore: 'f'.repeat(40) });
    expect(stampsAfter(event('closed', 4), 'ends', pushed, false)).toMatchObject({ pr: at(4), created: at(3), ended: at(4) });
    expect(isNewestPrState(event('labeled', 4), pushed)).toBe(true);
    expect(isNewestPrState(event('labeled', 3), pushed)).toBe(false);
  });
});

describe('commandStaleness', () => {
  test('a /preview destroy written before the newest creating event is stale', () => {
    expect(commandStaleness(at(1), { created: at(2) })).toMatch(/written before/);
    expect(commandStaleness(at(3), { created: at(2) })).toBeUndefined();
    expect(commandStaleness(undefined, { created: at(2) })).toBeUndefined();
  });
});

describe('confirmationRefusal (the GitHub API decides over payloads)', () => {
  const trigger = { mode: 'label' as const, label: 'preview', drafts: false };
  const pr = { configured: true as const, state: 'open' as const, draft: false, labels: ['preview'], headSha: 'a'.repeat(40), updatedAt: at(1) };

  test('a closed PR never keeps a preview', () => {
    expect(confirmationRefusal({ ...pr, state: 'closed' }, trigger, true)).toMatch(/closed/);
  });

  test('a missing trigger label gates creation only; a draft conversion ends nothing', () => {
    expect(confirmationRefusal({ ...pr, labels: [] }, trigger, false)).toMatch(/trigger label/);
    // Converted to draft after the creating event: the preview is still wanted (found by the race suite).
    expect(confirmationRefusal({ ...pr, draft: true }, trigger, false)).toBeUndefined();
    expect(confirmationRefusal({ ...pr, labels: [] }, trigger, true)).toBeUndefined();
    expect(confirmationRefusal({ ...pr, labels: [] }, { ...trigger, mode: 'always' }, false)).toBeUndefined();
    expect(confirmationRefusal(pr, trigger, false)).toBeUndefined();
  });
});

describe('readDestroyRefusal (a /preview destroy read from the comments by the GitHub confirmation)', () => {
  const at = '2026-12-02T10:00:05Z';
  it('applies a destroy newer than the creating event that nothing has applied yet', () => {
    expect(readDestroyRefusal(at, { created: '2026-12-02T10:00:00Z' })).toBeUndefined();
    expect(readDestroyRefusal(at, { created: '2026-12-02T10:00:00Z', ended: '2026-12-02T10:00:01Z' })).toBeUndefined();
  });
  it('refuses a destroy older than the creating event (stale)', () => {
    expect(readDestroyRefusal(at, { created: '2026-12-02T10:00:09Z' })).toMatch(/written before the event that brought the preview up/);
  });
  it('refuses a destroy its webhook already applied, though the creating stamp did not move (CI race seed 88586696)', () => {
    expect(readDestroyRefusal(at, { created: '2026-12-02T10:00:00Z', ended: at })).toMatch(/already applied/);
    expect(readDestroyRefusal(at, { created: '2026-12-02T10:00:00Z', ended: '2026-12-02T10:00:07Z' })).toMatch(/already applied/);
  });
});
