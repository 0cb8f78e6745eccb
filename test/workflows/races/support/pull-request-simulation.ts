import { createHash } from 'node:crypto';
import type { PullRequestTruth } from '../../../doubles/preview-world';
import { commentEvent, pullRequestEvent, type PrTarget } from '../../../integration/ingress/github-examples';
import type { ListedComment } from '../../../../src/github';

// One pull request's true history on GitHub, as the sequence of things that happened to it
// (push, label, close, a comment command …), each with the webhook delivery GitHub sends for
// it: a published example payload re-targeted at the PR, carrying the PR as it was at that
// moment (head, labels, draft, state, `updated_at`, and for pushes `before`/`after` on a real
// commit chain). The race test delivers these in any order; the simulation knows the truth.

export const TRIGGER_LABEL = 'preview';
/** Any label that is not the trigger. */
export const OTHER_LABEL = 'area/docs';

export interface TriggerSpec {
  readonly mode: 'label' | 'always';
  readonly drafts: boolean;
}

export type CommentCommandKind = 'extend' | 'redeploy' | 'destroy';

/** Something a person does to the PR. Intents that make no sense in the PR's state change nothing (GitHub sends nothing). */
export type Intent =
  | { readonly kind: 'push' }
  | { readonly kind: 'label'; readonly trigger: boolean }
  | { readonly kind: 'unlabel'; readonly trigger: boolean }
  | { readonly kind: 'draft' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'close' }
  | { readonly kind: 'reopen' }
  | { readonly kind: 'comment'; readonly command: CommentCommandKind };

export interface GitHubEvent {
  /** Position in the true order (0 = opened). */
  readonly seq: number;
  readonly deliveryId: string;
  readonly event: 'pull_request' | 'issue_comment';
  /** pull_request action, or the comment command. */
  readonly action: string;
  readonly payload: unknown;
  /** The PR right after the event. */
  readonly pr: PullRequestTruth;
  /** By the documented policy: this event may bring a preview into existence. */
  readonly creates: boolean;
  /** By the documented policy: this event ends the preview (closed, trigger label removed, destroy). */
  readonly ends: boolean;
  /** A comment command as GitHub's API lists it once it happened (whether or not its webhook got through). */
  readonly comment?: ListedComment;
  /** Something in the status events that names this delivery (besides its id): a comment's author, an extension's duration. */
  readonly marker?: string;
  /** One line for counterexamples. */
  readonly summary: string;
}

const CREATING_ACTIONS: ReadonlySet<string> = new Set(['opened', 'reopened', 'synchronize', 'labeled', 'ready_for_review']);

/** A full 40-hex commit SHA, distinct per PR and commit. */
function commitSha(prNumber: number, commit: number): string {
  return createHash('sha1').update(`previewd-race ${prNumber} commit ${commit}`).digest('hex');
}

/** A delivery id shaped like GitHub's (a UUID), stable for a PR and event so a counterexample reads the same on a rerun. */
function deliveryUuid(target: PrTarget, seq: number): string {
  const h = createHash('sha1').update(`previewd-race ${target.repository}#${target.number} delivery ${seq}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const short = (sha: string): string => sha.slice(0, 7);

export class PullRequestSimulation {
  private open = true;
  private draft: boolean;
  private labels: string[];
  private commits = 0;
  private head: string;
  private seq = 0;
  /** GitHub's clock for this PR: one event a second from a minute before the case, so every stamp is in the past. */
  private readonly clock: number;

  constructor(
    readonly target: PrTarget,
    readonly trigger: TriggerSpec,
    start: { readonly labelled: boolean; readonly draft: boolean },
    startedAt: number,
  ) {
    this.draft = start.draft;
    this.labels = start.labelled ? [TRIGGER_LABEL] : [];
    this.head = commitSha(target.number, 0);
    this.clock = Math.floor(startedAt / 1000) * 1000 - 60_000;
  }

  get truth(): PullRequestTruth {
    return {
      number: this.target.number,
      state: this.open ? 'open' : 'closed',
      draft: this.draft,
      labels: [...this.labels],
      headSha: this.head,
      updatedAt: this.timeOf(this.seq - 1),
    };
  }

  /** The `opened` event that starts every PR's history. */
  opened(): GitHubEvent {
    return this.pullRequest('opened', {}, `opened at ${short(this.head)}${this.draft ? ' as draft' : ''} with [${this.labels.join(', ')}]`);
  }

  /** The event GitHub sends for `intent`, or undefined when the intent changes nothing. */
  apply(intent: Intent): GitHubEvent | undefined {
    switch (intent.kind) {
      case 'push':
        return this.push();
      case 'label':
        return this.label(intent.trigger ? TRIGGER_LABEL : OTHER_LABEL, true);
      case 'unlabel':
        return this.label(intent.trigger ? TRIGGER_LABEL : OTHER_LABEL, false);
      case 'draft':
        if (!this.open || this.draft) return undefined;
        this.draft = true;
        return this.pullRequest('converted_to_draft', {}, 'converted to draft');
      case 'ready':
        if (!this.open || !this.draft) return undefined;
        this.draft = false;
        return this.pullRequest('ready_for_review', {}, 'ready for review');
      case 'close':
        if (!this.open) return undefined;
        this.open = false;
        return this.pullRequest('closed', {}, 'closed');
      case 'reopen':
        if (this.open) return undefined;
        this.open = true;
        return this.pullRequest('reopened', {}, `reopened at ${short(this.head)}`);
      case 'comment':
        return this.comment(intent.command);
    }
  }

  private push(): GitHubEvent | undefined {
    const before = this.head;
    this.commits++;
    this.head = commitSha(this.target.number, this.commits);
    // GitHub sends no synchronize for a closed PR; a reopen carries the branch's new head.
    if (!this.open) return undefined;
    return this.pullRequest('synchronize', { before, after: this.head }, `synchronize ${short(before)}→${short(this.head)}`);
  }

  private label(name: string, add: boolean): GitHubEvent | undefined {
    if (this.labels.includes(name) === add) return undefined;
    this.labels = add ? [...this.labels, name] : this.labels.filter((l) => l !== name);
    return this.pullRequest(add ? 'labeled' : 'unlabeled', { label: name }, `${add ? 'labeled' : 'unlabeled'} ${name}${this.open ? '' : ' (while closed)'}`);
  }

  private timeOf(seq: number): string {
    return new Date(this.clock + Math.max(0, seq) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private next(): { seq: number; at: string; deliveryId: string } {
    const seq = this.seq++;
    return { seq, at: this.timeOf(seq), deliveryId: deliveryUuid(this.target, seq) };
  }

  private pullRequest(action: string, extra: { before?: string; after?: string; label?: string }, summary: string): GitHubEvent {
    const { seq, at, deliveryId } = this.next();
    const payload = pullRequestEvent(action as Parameters<typeof pullRequestEvent>[0], this.target, {
      headSha: this.head,
      labels: this.labels,
      draft: this.draft,
      state: this.open ? 'open' : 'closed',
      ...(extra.label !== undefined && { label: extra.label }),
    }) as unknown as Record<string, unknown> & { pull_request: Record<string, unknown> };
    // The PR as it was at this moment: GitHub stamps every change, and a push names the commit it replaced.
    payload.pull_request.updated_at = at;
    if (action === 'opened') payload.pull_request.created_at = at;
    if (action === 'closed') payload.pull_request.closed_at = at;
    if (action === 'reopened') payload.pull_request.closed_at = null;
    if (extra.before !== undefined) {
      payload.before = extra.before;
      payload.after = extra.after;
    }
    const label = action === 'labeled' || action === 'unlabeled' ? extra.label : undefined;
    return {
      seq,
      deliveryId,
      event: 'pull_request',
      action,
      payload,
      pr: this.truth,
      creates: this.mayCreate(action, label),
      ends: action === 'closed' || (action === 'unlabeled' && this.trigger.mode === 'label' && label === TRIGGER_LABEL),
      summary: `#${seq} ${summary}`,
    };
  }

  private comment(command: CommentCommandKind): GitHubEvent {
    const { seq, at, deliveryId } = this.next();
    // A distinct author (and extension) per comment, so the status events name the delivery they came from.
    const login = `racer-${seq}`;
    const by = `${seq + 1}m`;
    const body = command === 'extend' ? `/preview extend ${by}` : `/preview ${command}`;
    const payload = commentEvent(this.target, { body, association: 'OWNER' }) as unknown as {
      comment: Record<string, unknown> & { user: { login: string } };
      issue: Record<string, unknown>;
      sender: { login: string };
    };
    payload.comment.user.login = login;
    payload.sender.login = login;
    payload.comment.created_at = at;
    payload.comment.updated_at = at;
    payload.issue.state = this.open ? 'open' : 'closed';
    payload.issue.updated_at = at;
    return {
      seq,
      deliveryId,
      event: 'issue_comment',
      action: command,
      payload,
      pr: this.truth,
      creates: false,
      ends: command === 'destroy',
      comment: { body, created_at: at, author_association: 'OWNER', user: { login } },
      marker: command === 'extend' ? `by ${by}` : `@${login}`,
      summary: `#${seq} comment "${body}"${this.open ? '' : ' (while closed)'}`,
    };
  }

  /** The documented creation policy (README, DESIGN), restated independently of the ingress code. */
  private mayCreate(action: string, label: string | undefined): boolean {
    if (!CREATING_ACTIONS.has(action) || !this.open) return false;
    if (action === 'labeled' && label !== TRIGGER_LABEL) return false;
    if (this.trigger.mode === 'label' && !this.labels.includes(TRIGGER_LABEL)) return false;
    if (this.draft && !this.trigger.drafts) return false;
    return true;
  }
}
