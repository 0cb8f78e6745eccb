import type { CheckRunSeen, ChecksReading, CommitStatusSeen } from '../../../workflows/contract';
import { describeGateVerdict, gateVerdict, resolveGate } from '../../../src/lifecycle';
import { parseConfig } from '../../../src/config';

const SHA = 'a'.repeat(40);
let nextId = 1;

function run(name: string, status: string, conclusion: string | null = null, id = nextId++): CheckRunSeen {
  return { id, name, status, conclusion };
}

function reading(checkRuns: CheckRunSeen[] = [], statuses: CommitStatusSeen[] = []): ChecksReading {
  return { headSha: SHA, checkRuns, statuses };
}

describe('gateVerdict', () => {
  test('waits for names not reported yet, and for runs not completed, in the configured order', () => {
    const verdict = gateVerdict(['build', 'lint', 'e2e'], reading([run('lint', 'in_progress'), run('build', 'completed', 'success')]));
    expect(verdict).toEqual({ kind: 'waiting', waitingFor: ['lint', 'e2e'] });
    expect(describeGateVerdict(verdict as Exclude<typeof verdict, { kind: 'passed' }>)).toBe('waiting for lint, e2e');
  });

  test('passes when every name succeeded; neutral and skipped pass as in branch protection', () => {
    expect(gateVerdict(['build', 'lint', 'docs'], reading([run('build', 'completed', 'success'), run('lint', 'completed', 'neutral'), run('docs', 'completed', 'skipped')]))).toEqual({ kind: 'passed' });
  });

  test.each(['failure', 'cancelled', 'timed_out', 'action_required', 'stale', 'startup_failure'])('a run concluded %s fails the gate, named with the conclusion', (conclusion) => {
    const verdict = gateVerdict(['build', 'lint'], reading([run('build', 'in_progress'), run('lint', 'completed', conclusion)]));
    expect(verdict).toEqual({ kind: 'failed', failed: [{ name: 'lint', conclusion }] });
    expect(describeGateVerdict(verdict as Exclude<typeof verdict, { kind: 'passed' }>)).toContain(`check lint (${conclusion}) failed: nothing deployed`);
  });

  test('a commit status of that context counts like a check run', () => {
    expect(gateVerdict(['ci/jenkins'], reading([], [{ context: 'ci/jenkins', state: 'pending' }]))).toEqual({ kind: 'waiting', waitingFor: ['ci/jenkins'] });
    expect(gateVerdict(['ci/jenkins'], reading([], [{ context: 'ci/jenkins', state: 'success' }]))).toEqual({ kind: 'passed' });
    expect(gateVerdict(['ci/jenkins'], reading([], [{ context: 'ci/jenkins', state: 'error' }]))).toEqual({ kind: 'failed', failed: [{ name: 'ci/jenkins', conclusion: 'error' }] });
  });

  test('the newest run of a name decides: a successful re-run replaces a failure, and a newer failure replaces a success', () => {
    expect(gateVerdict(['build'], reading([run('build', 'completed', 'failure', 10), run('build', 'completed', 'success', 11)]))).toEqual({ kind: 'passed' });
    expect(gateVerdict(['build'], reading([run('build', 'completed', 'success', 10), run('build', 'completed', 'failure', 12)]))).toEqual({ kind: 'failed', failed: [{ name: 'build', conclusion: 'failure' }] });
    expect(gateVerdict(['build'], reading([run('build', 'completed', 'failure', 10), run('build', 'queued', null, 13)]))).toEqual({ kind: 'waiting', waitingFor: ['build'] });
  });

  test('a name with both a run and a status passes only when both pass', () => {
    expect(gateVerdict(['ci'], reading([run('ci', 'completed', 'success')], [{ context: 'ci', state: 'failure' }]))).toEqual({ kind: 'failed', failed: [{ name: 'ci', conclusion: 'failure' }] });
    expect(gateVerdict(['ci'], reading([run('ci', 'completed', 'success')], [{ context: 'ci', state: 'pending' }]))).toEqual({ kind: 'waiting', waitingFor: ['ci'] });
  });

  test('checks not named do not matter (previewd’s own status among them)', () => {
    expect(gateVerdict(['build'], reading([run('build', 'completed', 'success'), run('other', 'completed', 'failure')], [{ context: 'previewd', state: 'pending' }]))).toEqual({ kind: 'passed' });
  });
});

describe('gate config', () => {
  const repo = (gate: unknown) => ({ repositories: [{ fullName: 'acme/shop', key: 'shop', services: [{ name: 'web', source: { repoURL: 'r', path: 'p', image: 'i' } }], gate }] });

  test('defaults from the schema; absent means no gate', () => {
    expect(parseConfig(repo({ checks: ['build'] })).repositories[0]?.gate).toEqual({ checks: ['build'], timeout: '1h', pollInterval: '2m' });
    expect(parseConfig({ repositories: [{ fullName: 'acme/shop', key: 'shop', services: [{ name: 'web', source: { repoURL: 'r', path: 'p', image: 'i' } }] }] }).repositories[0]?.gate).toBeUndefined();
  });

  test.each([
    [{ requiredChecks: true }, /gate\.requiredChecks.*not supported yet.*gate\.checks/s],
    [{}, /gate\.checks.*gate needs checks/s],
    [{ checks: [] }, /list at least one check name/],
    [{ checks: ['build'], timeout: 'soon' }, /gate\.timeout/],
    [{ checks: ['build'], wait: '1h' }, /wait/],
  ])('%j is refused with a clear message', (gate, message) => {
    expect(() => parseConfig(repo(gate))).toThrow(message);
  });

  test("the workflow's own check agrees with the schema", () => {
    expect(resolveGate({ checks: ['build'], timeout: '30m', pollInterval: '1m' })).toEqual({ checks: ['build'], timeoutMs: 1_800_000, pollIntervalMs: 60_000 });
    expect(resolveGate({ checks: ['build'] })).toEqual({ checks: ['build'], timeoutMs: 3_600_000, pollIntervalMs: 120_000 });
    expect(() => resolveGate({ checks: [] })).toThrow('gate.checks');
    expect(() => resolveGate({ checks: ['b'], timeout: '0s' })).toThrow('gate.timeout');
    // Strict like the schema, and every problem at once.
    expect(() => resolveGate({ checks: ['b'], timeOut: '1h' } as never)).toThrow('gate: unknown key "timeOut"');
    expect(() => resolveGate({ checks: [], pollInterval: 'soon' })).toThrow(/gate\.checks: .*; gate\.pollInterval: /);
  });
});
