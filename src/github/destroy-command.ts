import { COMMAND_AUTHOR_ASSOCIATIONS, parseCommentCommand } from './comment-command';

// A `/preview destroy` is a comment on the PR, and GitHub's API lists it even when its webhook
// found no preview to end (the `opened` before it was refused while Temporal was down and is
// redelivered later). The GitHub confirmation before a deploy round reads the comments written
// since the event that would bring the preview up, so such a destroy still wins.

/** The fields of an issue comment (REST `GET /repos/{owner}/{repo}/issues/{n}/comments`) this reads. */
export interface ListedComment {
  readonly body?: string | null;
  /** ISO-8601. */
  readonly created_at: string;
  readonly author_association: string;
  readonly user: { readonly login: string } | null;
}

export interface DestroyCommandSeen {
  /** The comment's `created_at`. */
  readonly at: string;
  readonly by: string;
}

/** The newest `/preview destroy` by a repository member written at or after `since`, if any. */
export function newestDestroyCommand(comments: readonly ListedComment[], since: string): DestroyCommandSeen | undefined {
  const from = Date.parse(since);
  let newest: DestroyCommandSeen | undefined;
  for (const c of comments) {
    if (Date.parse(c.created_at) < from || !COMMAND_AUTHOR_ASSOCIATIONS.has(c.author_association)) continue;
    const parsed = parseCommentCommand(c.body ?? null);
    if (!parsed.ok || parsed.command.kind !== 'destroy') continue;
    if (newest === undefined || Date.parse(c.created_at) > Date.parse(newest.at)) newest = { at: c.created_at, by: c.user?.login ?? 'ghost' };
  }
  return newest;
}
