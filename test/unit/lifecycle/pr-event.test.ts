import { interpretPrEvent, readPrEvent } from '../../../src/lifecycle';
import type { PrEvent } from '../../../workflows/contract';

const labelTrigger = { mode: 'label' as const, label: 'preview' };
const alwaysTrigger = { mode: 'always' as const, label: 'preview' };

function event(fields: Partial<PrEvent>): PrEvent {
  return { action: 'synchronize', headSha: 'b'.repeat(40), labels: ['preview'], sender: 'octocat', deliveryId: 'd-1', ...fields };
}

describe('readPrEvent', () => {
  it('accepts a well-formed event', () => {
    expect(readPrEvent(event({}))).toEqual({ ok: true, event: event({}) });
  });

  it.each([
    ['not an object', 'closed'],
    ['null', null],
    ['unknown action', { ...event({}), action: 'deleted' }],
    ['no delivery id', { ...event({}), deliveryId: '' }],
    ['labels not strings', { ...event({}), labels: [1] }],
    ['no head', { ...event({}), headSha: undefined }],
  ])('refuses a malformed event (%s) with a reason instead of throwing', (_what, raw) => {
    const read = readPrEvent(raw);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toMatch(/prEvent/);
  });
});

describe('interpretPrEvent', () => {
  it('tears down on closed', () => {
    expect(interpretPrEvent(event({ action: 'closed' }), labelTrigger).teardown).toBe('pull request closed');
  });

  it('tears down when the trigger label is removed (label mode only)', () => {
    const removed = event({ action: 'unlabeled', labels: ['bug'] });
    expect(interpretPrEvent(removed, labelTrigger).teardown).toBe('trigger label "preview" removed');
    expect(interpretPrEvent(removed, alwaysTrigger).teardown).toBeUndefined();
  });

  it('does not tear down when another label is removed', () => {
    expect(interpretPrEvent(event({ action: 'unlabeled', labels: ['preview'] }), labelTrigger).teardown).toBeUndefined();
  });

  it('does not tear down when the trigger label is merely missing from a non-unlabeled event', () => {
    expect(interpretPrEvent(event({ action: 'synchronize', labels: [] }), labelTrigger).teardown).toBeUndefined();
  });

  it.each(['opened', 'reopened', 'synchronize', 'ready_for_review'] as const)('%s moves the head and restarts the idle TTL', (action) => {
    expect(interpretPrEvent(event({ action, headSha: 'c'.repeat(40) }), labelTrigger)).toMatchObject({ newHead: 'c'.repeat(40), touch: true });
  });

  it.each(['labeled', 'unlabeled', 'edited', 'converted_to_draft'] as const)('%s does not move the head (it may be a late delivery)', (action) => {
    const effect = interpretPrEvent(event({ action, headSha: 'c'.repeat(40) }), labelTrigger);
    expect(effect.newHead).toBeUndefined();
    expect(effect.touch).toBe(false);
  });

  it('carries the labels after the event (they decide the TTL)', () => {
    expect(interpretPrEvent(event({ action: 'labeled', labels: ['preview', 'preview/do-not-expire'] }), labelTrigger).labels).toEqual([
      'preview',
      'preview/do-not-expire',
    ]);
  });
});
