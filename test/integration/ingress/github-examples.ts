import { createHmac, randomUUID } from 'node:crypto';
import examples from '@octokit/webhooks-examples';
import type { IssueCommentCreatedEvent, PingEvent, PullRequestEvent } from '@octokit/webhooks-types';

// Webhook payloads for tests come from GitHub's published examples (@octokit/webhooks-examples),
// never hand-written. Every change to an example is made here, explicitly and commented:
// the examples all describe one PR (Codertocat/Hello-World#2), while tests sharing a Temporal
// server need their own repository and PR number so their workflow ids never collide.

type Definition = (typeof examples)[number];

function examplesOf(name: string): Definition['examples'] {
  const definition = examples.find((d) => d.name === name);
  if (!definition) throw new Error(`@octokit/webhooks-examples has no "${name}" examples`);
  return definition.examples;
}

/** A deep copy of the first published example of `pull_request` with this action. */
export function pullRequestExample(action: PullRequestEvent['action']): PullRequestEvent {
  const found = examplesOf('pull_request').find((e) => (e as { action?: string }).action === action);
  if (!found) throw new Error(`no published pull_request example with action "${action}"`);
  return structuredClone(found) as PullRequestEvent;
}

/** A deep copy of the first published example of any event (for "unknown event" tests). */
export function anyExample(name: string): Record<string, unknown> {
  const found = examplesOf(name)[0];
  if (!found) throw new Error(`no published ${name} example`);
  return structuredClone(found) as Record<string, unknown>;
}

/** A deep copy of the first published example of a check event with this action (and, for check_run, conclusion). */
export function checkExample(name: 'check_run' | 'check_suite', action: string, conclusion?: string): Record<string, unknown> {
  const found = examplesOf(name).find((e) => {
    const event = e as { action?: string } & Record<string, { conclusion?: string | null; pull_requests?: unknown[] } | undefined>;
    const check = event[name];
    return event.action === action && (conclusion === undefined || check?.conclusion === conclusion) && (check?.pull_requests?.length ?? 0) > 0;
  });
  if (!found) throw new Error(`no published ${name} example with action "${action}"${conclusion ? ` and conclusion ${conclusion}` : ''} that names a pull request`);
  return structuredClone(found) as Record<string, unknown>;
}

export function pingExample(): PingEvent {
  const found = examplesOf('ping').find((e) => 'repository' in e && e.repository);
  return structuredClone(found) as PingEvent;
}

export function issueCommentExample(): IssueCommentCreatedEvent {
  const found = examplesOf('issue_comment').find((e) => (e as { action?: string }).action === 'created');
  return structuredClone(found) as IssueCommentCreatedEvent;
}

export interface PrTarget {
  /** `owner/repo` the test configured. */
  readonly repository: string;
  readonly number: number;
}

/** Moves a payload's `repository` to the test's repository (the allowlist and workflow id read it). */
function moveRepository(repository: { full_name: string; name: string; owner: { login: string } }, fullName: string): void {
  const [owner = '', name = ''] = fullName.split('/');
  repository.full_name = fullName;
  repository.name = name;
  repository.owner.login = owner;
}

export interface PullRequestChanges {
  /** Head SHA of the event; defaults to the example's. */
  readonly headSha?: string;
  /** The PR's labels after the event (the examples carry none or `bug`). */
  readonly labels?: readonly string[];
  /** For labeled/unlabeled: the label the event is about. */
  readonly label?: string;
  readonly draft?: boolean;
  /** Make the head live in another repository (a fork PR). */
  readonly fromFork?: string;
  readonly state?: 'open' | 'closed';
}

/** The published example for `action`, re-targeted at the test's PR, with the listed changes. */
export function pullRequestEvent(action: PullRequestEvent['action'], target: PrTarget, changes: PullRequestChanges = {}): PullRequestEvent {
  const payload = pullRequestExample(action) as PullRequestEvent & { label?: { name: string } };
  // Modification 1: the test's repository and PR number instead of Codertocat/Hello-World#2.
  moveRepository(payload.repository, target.repository);
  payload.number = target.number;
  payload.pull_request.number = target.number;
  moveRepository(payload.pull_request.base.repo, target.repository);
  // Modification 2: head in the same repository (the examples' head repo is the base repo
  // already; this keeps it so after the move), or in a fork when asked.
  if (payload.pull_request.head.repo) moveRepository(payload.pull_request.head.repo, changes.fromFork ?? target.repository);
  // Modification 3: the state the test needs (SHA, labels, draft, open/closed).
  if (changes.headSha !== undefined) payload.pull_request.head.sha = changes.headSha;
  if (changes.labels !== undefined) {
    const template = payload.pull_request.labels[0] ?? { id: 1, node_id: 'L', url: '', name: '', color: 'ededed', default: false, description: null };
    payload.pull_request.labels = changes.labels.map((name, i) => ({ ...template, id: i + 1, name }));
  }
  if (changes.label !== undefined && payload.label) payload.label = { ...payload.label, name: changes.label };
  if (changes.draft !== undefined) payload.pull_request.draft = changes.draft;
  if (changes.state !== undefined) payload.pull_request.state = changes.state;
  // Modification 4: it happens now (GitHub stamps every change; previewd orders deliveries by it).
  payload.pull_request.updated_at = githubNow();
  return payload;
}

/** GitHub's clock as it stamps a change: now, in whole seconds. Tests delivering in order get equal or increasing stamps. */
function githubNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface CommentChanges {
  readonly body: string;
  readonly association?: IssueCommentCreatedEvent['comment']['author_association'];
  /** The published example is a comment on an issue; by default it becomes one on the PR. */
  readonly onPullRequest?: boolean;
}

/** The published `issue_comment.created` example turned into a comment on the test's PR. */
export function commentEvent(target: PrTarget, changes: CommentChanges): IssueCommentCreatedEvent {
  const payload = issueCommentExample();
  // Modification 1: the test's repository and PR number instead of Codertocat/Hello-World#1.
  moveRepository(payload.repository, target.repository);
  payload.issue.number = target.number;
  // Modification 2: GitHub marks a comment on a PR by `issue.pull_request`; the example is on a plain issue.
  if (changes.onPullRequest ?? true) {
    const url = `https://api.github.com/repos/${target.repository}/pulls/${target.number}`;
    (payload.issue as { pull_request?: object }).pull_request = { url, html_url: url, diff_url: `${url}.diff`, patch_url: `${url}.patch`, merged_at: null };
  }
  // Modification 3: the command under test and who wrote it (the example: OWNER, prose).
  payload.comment.body = changes.body;
  payload.comment.author_association = changes.association ?? 'OWNER';
  // Modification 4: written now (a /preview destroy older than the newest creating event is stale).
  payload.comment.created_at = githubNow();
  payload.comment.updated_at = payload.comment.created_at;
  return payload;
}

export interface SignedDelivery {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/**
 * GitHub's `X-Hub-Signature-256` of a body, computed here with node:crypto: an implementation
 * independent of the library the ingress verifies with, so the two check each other.
 */
export function githubSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Serialises and signs like GitHub: `X-Hub-Signature-256` over the exact body bytes. */
export function signedDelivery(event: string, payload: unknown, secret: string, deliveryId: string = randomUUID()): Promise<SignedDelivery> {
  const body = JSON.stringify(payload);
  return Promise.resolve({
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': githubSignature(secret, body),
      'user-agent': 'GitHub-Hookshot/test',
    },
  });
}
