import { parseConfig } from '../../../src/config';
import { pullRequestPayloadSchema, routePullRequest, type PullRequestPayload } from '../../../src/ingress';
import { pullRequestEvent, type PullRequestChanges } from '../../integration/ingress/github-examples';

// Routing of pull_request deliveries (published examples, re-targeted) to Temporal calls.

const config = parseConfig({
  repositories: [
    { fullName: 'Acme/Shop', key: 'shop', services: [{ name: 'web', source: { repoURL: 'r', path: 'p', image: 'i' } }] },
    { fullName: 'acme/open', key: 'open', trigger: { mode: 'always', drafts: true, forks: true }, services: [{ name: 'web', source: { repoURL: 'r', path: 'p', image: 'i' } }] },
  ],
  lifecycle: { readinessTimeout: '5m' },
});
const [labelRepo, openRepo] = config.repositories as [(typeof config.repositories)[0], (typeof config.repositories)[0]];
const target = { repository: 'acme/shop', number: 42 };

function payload(action: Parameters<typeof pullRequestEvent>[0], changes: PullRequestChanges = {}, to = target): PullRequestPayload {
  return pullRequestPayloadSchema.parse(pullRequestEvent(action, to, changes));
}

const route = (p: PullRequestPayload, repo = labelRepo) => routePullRequest(p, repo, config.lifecycle, 'delivery-1');

describe('events that may create a preview use signal-with-start', () => {
  test.each(['opened', 'reopened', 'synchronize', 'ready_for_review'] as const)('%s with the trigger label', (action) => {
    const decision = route(payload(action, { labels: ['preview'], headSha: 'f'.repeat(40) }));
    expect(decision).toMatchObject({
      kind: 'signal-with-start',
      // The id and the repository spelling come from configuration, not from the payload.
      workflowId: 'preview:acme/shop#42',
      event: { action, headSha: 'f'.repeat(40), labels: ['preview'], sender: 'Codertocat', deliveryId: 'delivery-1' },
      input: { pr: { repository: 'Acme/Shop', number: 42, headSha: 'f'.repeat(40), labels: ['preview'], author: 'Codertocat' }, config: labelRepo, options: { readinessTimeout: '5m' } },
    });
  });

  test('labeled with the trigger label', () => {
    expect(route(payload('labeled', { label: 'preview', labels: ['preview'] })).kind).toBe('signal-with-start');
  });

  test('always mode needs no label; drafts and forks when the repository allows them', () => {
    const to = { repository: 'acme/open', number: 7 };
    expect(route(payload('opened', { labels: [] }, to), openRepo).kind).toBe('signal-with-start');
    expect(route(payload('opened', { draft: true }, to), openRepo).kind).toBe('signal-with-start');
    expect(route(payload('opened', { fromFork: 'mallory/fork' }, to), openRepo).kind).toBe('signal-with-start');
  });
});

describe('every prEvent carries GitHub\'s clock and the creation verdict', () => {
  test('updated_at, a push\'s before, and whether the event may create a preview', () => {
    const raw = pullRequestEvent('synchronize', target, { labels: ['preview'], headSha: 'f'.repeat(40) }) as unknown as Record<string, unknown> & { pull_request: Record<string, unknown> };
    raw.pull_request.updated_at = '2026-01-01T12:00:05Z';
    raw.before = 'e'.repeat(40);
    expect(route(pullRequestPayloadSchema.parse(raw))).toMatchObject({ event: { updatedAt: '2026-01-01T12:00:05Z', before: 'e'.repeat(40), mayCreate: true } });
    expect(route(payload('opened', { labels: [] }))).toMatchObject({ message: { arg: { mayCreate: false } } });
  });
});

describe('events that may not create one only signal an existing preview', () => {
  test.each(['closed', 'unlabeled', 'converted_to_draft'] as const)('%s', (action) => {
    expect(route(payload(action, { labels: ['preview'], label: 'preview' }))).toMatchObject({ kind: 'signal', workflowId: 'preview:acme/shop#42', message: { name: 'prEvent', arg: { action } } });
  });

  test.each([
    ['without the trigger label', 'opened', { labels: [] }, 'lacks the trigger label "preview"'],
    ['labeled with another label', 'labeled', { label: 'bug', labels: ['bug', 'preview'] }, 'not the trigger label'],
    ['a draft', 'opened', { labels: ['preview'], draft: true }, 'draft'],
    ['from a fork', 'synchronize', { labels: ['preview'], fromFork: 'mallory/shop' }, 'forks'],
    ['labeled on a closed PR', 'labeled', { labels: ['preview'], label: 'preview', state: 'closed' }, 'closed'],
  ] as const)('%s', (_name, action, changes, why) => {
    const decision = route(payload(action, changes));
    expect(decision).toMatchObject({ kind: 'signal', message: { name: 'prEvent' } });
    expect(decision.kind === 'signal' && decision.why).toContain(why);
  });

  test('a fork whose repository was deleted (head.repo null) is still a fork', () => {
    const p = payload('opened', { labels: ['preview'] });
    const deleted = { ...p, pull_request: { ...p.pull_request, head: { ...p.pull_request.head, repo: null } } };
    expect(route(deleted).kind).toBe('signal');
  });
});

test.each(['assigned', 'locked', 'review_requested', 'unassigned'] as const)('%s is ignored', (action) => {
  expect(route(payload(action))).toMatchObject({ kind: 'ignore' });
});
