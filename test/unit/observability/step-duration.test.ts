import { CancelledFailure, ApplicationFailure } from '@temporalio/common';
import { stepOutcomeOf } from '../../../src/observability';

describe('step outcome', () => {
  it('is success when the activity returned', () => {
    expect(stepOutcomeOf(undefined, false)).toBe('success');
  });

  it('is cancelled when the workflow (or a shutdown) cancelled the step', () => {
    expect(stepOutcomeOf(new CancelledFailure('CANCELLED'), true)).toBe('cancelled');
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(stepOutcomeOf(abort, true)).toBe('cancelled');
  });

  it('is failure for any other error, including an abort nobody asked for', () => {
    expect(stepOutcomeOf(ApplicationFailure.retryable('API server unavailable'), false)).toBe('failure');
    expect(stepOutcomeOf(Object.assign(new Error('aborted'), { name: 'AbortError' }), false)).toBe('failure');
    expect(stepOutcomeOf(new Error('boom'), true)).toBe('failure');
  });
});
