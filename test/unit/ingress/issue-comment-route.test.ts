import { parseConfig } from '../../../src/config';
import { parseCommentCommand } from '../../../src/github';
import { issueCommentPayloadSchema, routeIssueComment } from '../../../src/ingress';
import { commentEvent, type CommentChanges } from '../../integration/ingress/github-examples';

const [repo] = parseConfig({ repositories: [{ fullName: 'acme/shop', key: 'shop', services: [{ name: 'web', source: { repoURL: 'r', path: 'p', image: 'i' } }] }] }).repositories;
const target = { repository: 'acme/shop', number: 9 };

function route(changes: CommentChanges, action?: string) {
  const raw = commentEvent(target, changes) as unknown as Record<string, unknown>;
  if (action) raw.action = action;
  return routeIssueComment(issueCommentPayloadSchema.parse(raw), repo!, 'delivery-7');
}

describe('parseCommentCommand', () => {
  test.each([
    ['/preview extend 4h', { kind: 'extend', by: '4h' }],
    ['  /preview   extend 1d12h  ', { kind: 'extend', by: '1d12h' }],
    ['/Preview Destroy', { kind: 'destroy' }],
    ['\n\n/preview redeploy\nbecause the pod is stuck', { kind: 'redeploy' }],
  ])('%j', (body, command) => {
    expect(parseCommentCommand(body)).toEqual({ ok: true, command });
  });

  test.each([
    ['LGTM', false],
    ['please /preview destroy', false],
    ['', false],
    ['/preview', true],
    ['/preview extend', true],
    ['/preview extend 0m', true],
    ['/preview extend -4h', true],
    ['/preview extend tomorrow', true],
    ['/preview destroy now', true],
    ['/preview nuke', true],
  ])('%j is refused (addressed to previewd: %s)', (body, addressed) => {
    const parsed = parseCommentCommand(body);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.command).toBe(addressed);
  });
});

describe('routeIssueComment', () => {
  test.each(['OWNER', 'MEMBER', 'COLLABORATOR'] as const)('%s may extend, destroy and redeploy', (association) => {
    expect(route({ body: '/preview extend 4h', association })).toEqual({ kind: 'signal', workflowId: 'preview:acme/shop#9', message: { name: 'extend', arg: { by: '4h', deliveryId: 'delivery-7', at: expect.any(String) } } });
    expect(route({ body: '/preview destroy', association })).toMatchObject({ message: { name: 'destroy', arg: { reason: '/preview destroy by @Codertocat', deliveryId: 'delivery-7' } } });
    expect(route({ body: '/preview redeploy', association })).toMatchObject({ message: { name: 'redeploy', arg: { deliveryId: 'delivery-7' } } });
  });

  test.each(['CONTRIBUTOR', 'FIRST_TIMER', 'FIRST_TIME_CONTRIBUTOR', 'MANNEQUIN', 'NONE'] as const)('%s may not', (association) => {
    expect(route({ body: '/preview destroy', association })).toMatchObject({ kind: 'ignore', unauthorized: true });
  });

  test('comments on issues, edits and deletions are ignored', () => {
    expect(route({ body: '/preview destroy', onPullRequest: false })).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('not on a pull request') });
    expect(route({ body: '/preview destroy' }, 'edited')).toMatchObject({ kind: 'ignore' });
    expect(route({ body: '/preview destroy' }, 'deleted')).toMatchObject({ kind: 'ignore' });
  });

  test('a non-member chatting is not logged as a refused command', () => {
    expect(route({ body: 'nice work', association: 'NONE' })).toEqual({ kind: 'ignore', reason: 'not a /preview command' });
  });
});
