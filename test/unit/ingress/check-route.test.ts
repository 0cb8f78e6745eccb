import { parseConfig } from '../../../src/config';
import { previewWorkflowId } from '../../../src/lifecycle';
import { checkRunPayloadSchema, checkSuitePayloadSchema, routeCheckEvent, routeStatusEvent, statusPayloadSchema } from '../../../src/ingress';
import { anyExample, checkExample } from '../../integration/ingress/github-examples';

// Payloads are GitHub's published examples (Codertocat/Hello-World, PR #2); the allowlisted repository is that one.
const [repo] = parseConfig({ repositories: [{ fullName: 'Codertocat/Hello-World', key: 'hello', services: [{ name: 'web', source: { repoURL: 'r', path: 'p', image: 'i' } }] }] }).repositories;

function checkRun(action: string, conclusion?: string) {
  return checkRunPayloadSchema.parse(checkExample('check_run', action, conclusion));
}

describe('check_run', () => {
  test.each(['success', 'failure'])('completed (%s) wakes the preview of the PR it lists, with the head SHA', (conclusion) => {
    const payload = checkRun('completed', conclusion);
    const decision = routeCheckEvent({ event: 'check_run', payload }, repo!, 'd-1');
    expect(decision).toEqual({
      kind: 'signal',
      workflowId: previewWorkflowId({ repository: 'Codertocat/Hello-World', number: 2 }),
      message: { name: 'checksChanged', arg: { event: 'check_run', headSha: payload.check_run.head_sha, deliveryId: 'd-1' } },
    });
  });

  test('created (still queued) is ignored: only a completed check can move the gate', () => {
    expect(routeCheckEvent({ event: 'check_run', payload: checkRun('created') }, repo!, 'd-2')).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('only a completed check') });
  });

  test("a PR of another repository (a branch proposed upstream) is not this repository's preview", () => {
    const raw = checkExample('check_run', 'completed', 'success') as { check_run: { pull_requests: { base: { repo: { id: number } } }[] } };
    for (const pr of raw.check_run.pull_requests) pr.base.repo.id += 1;
    expect(routeCheckEvent({ event: 'check_run', payload: checkRunPayloadSchema.parse(raw) }, repo!, 'd-3')).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('names no pull request') });
  });

  test('a PR whose head moved on (the check is for an older commit) is not woken', () => {
    const raw = checkExample('check_run', 'completed', 'success') as { check_run: { pull_requests: { head: { sha: string } }[] } };
    for (const pr of raw.check_run.pull_requests) pr.head.sha = 'f'.repeat(40);
    expect(routeCheckEvent({ event: 'check_run', payload: checkRunPayloadSchema.parse(raw) }, repo!, 'd-4')).toMatchObject({ kind: 'ignore' });
  });
});

describe('check_suite', () => {
  test('completed wakes the preview of the PR it lists', () => {
    const payload = checkSuitePayloadSchema.parse(checkExample('check_suite', 'completed'));
    expect(routeCheckEvent({ event: 'check_suite', payload }, repo!, 'd-5')).toMatchObject({
      kind: 'signal',
      workflowId: previewWorkflowId({ repository: 'Codertocat/Hello-World', number: 2 }),
      message: { name: 'checksChanged', arg: { event: 'check_suite', headSha: payload.check_suite.head_sha } },
    });
  });

  test('a suite that lists no pull request (a fork, or requested before a PR exists) is ignored, with the poll named', () => {
    const raw = checkExample('check_suite', 'completed') as { check_suite: { pull_requests: unknown[] } };
    raw.check_suite.pull_requests = [];
    expect(routeCheckEvent({ event: 'check_suite', payload: checkSuitePayloadSchema.parse(raw) }, repo!, 'd-6')).toMatchObject({ kind: 'ignore', reason: expect.stringContaining("gate's poll") });
  });
});

describe('status', () => {
  test('names no pull request: left to the gate poll, and says so', () => {
    const payload = statusPayloadSchema.parse(anyExample('status'));
    expect(routeStatusEvent(payload.sha)).toEqual({ kind: 'ignore', reason: expect.stringContaining('next gate poll') });
  });
});
