import { ownerVerdict, type DescribeOutcome } from '../../../src/janitor';

const ID = 'preview:acme/shop#12';
const described = (describe: DescribeOutcome) => ownerVerdict(ID, { visibility: 'not-running', describe });

describe('ownerVerdict', () => {
  it('skips when visibility failed, whatever describe would say', () => {
    expect(ownerVerdict(ID, { visibility: 'error', detail: 'NamespaceNotFoundError: no such namespace' })).toEqual({
      orphan: false,
      reason: 'owner-unconfirmed',
      detail: 'visibility query failed: NamespaceNotFoundError: no such namespace',
    });
  });

  it('keeps a namespace whose owner visibility lists as running', () => {
    expect(ownerVerdict(ID, { visibility: 'running' })).toMatchObject({ orphan: false, reason: 'owned' });
  });

  it('keeps a namespace whose owner started after the list was taken (describe says running)', () => {
    expect(described({ kind: 'status', status: 'RUNNING' })).toMatchObject({ orphan: false, reason: 'owned' });
  });

  it('declares an orphan when the workflow does not exist', () => {
    expect(described({ kind: 'not-found' })).toEqual({ orphan: true, detail: `workflow ${ID} does not exist` });
  });

  it.each(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT'])('declares an orphan when the latest run is %s', (status) => {
    expect(described({ kind: 'status', status })).toEqual({ orphan: true, detail: `workflow ${ID} is ${status}` });
  });

  it.each(['CONTINUED_AS_NEW', 'PAUSED', 'UNKNOWN', 'UNSPECIFIED', 'SOMETHING_NEW'])('skips a latest run in state %s as ambiguous', (status) => {
    expect(described({ kind: 'status', status })).toMatchObject({ orphan: false, reason: 'owner-ambiguous' });
  });

  it('skips when describe failed for any other reason', () => {
    expect(described({ kind: 'error', detail: 'ServiceError: unavailable' })).toEqual({
      orphan: false,
      reason: 'owner-unconfirmed',
      detail: `describe ${ID} failed: ServiceError: unavailable`,
    });
  });
});
