import { parseDuration } from '../config';

// `/preview extend 4h`, `/preview destroy`, `/preview redeploy` in a PR comment. The command
// is the comment's first non-empty line, so a command can carry an explanation below it and
// a comment that merely mentions "/preview" in its prose does nothing. Read from webhooks by the
// ingress and from the REST API by the GitHub confirmation (a destroy whose webhook found no run).

/**
 * Only people GitHub says belong to the repository may use commands: a drive-by commenter must
 * not be able to destroy (or keep alive) someone else's preview.
 */
export const COMMAND_AUTHOR_ASSOCIATIONS: ReadonlySet<string> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export type CommentCommand =
  | { readonly kind: 'extend'; readonly by: string }
  | { readonly kind: 'destroy' }
  | { readonly kind: 'redeploy' };

export type CommentCommandParse =
  | { readonly ok: true; readonly command: CommentCommand }
  /** `command: false`: not addressed to previewd at all. */
  | { readonly ok: false; readonly command: boolean; readonly reason: string };

const USAGE = 'use /preview extend <duration>, /preview destroy or /preview redeploy';

export function parseCommentCommand(body: string | null): CommentCommandParse {
  const line = (body ?? '').split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
  const words = line.split(/\s+/);
  if (words[0]?.toLowerCase() !== '/preview') return { ok: false, command: false, reason: 'not a /preview command' };
  const [verb = '', ...args] = words.slice(1).map((w) => w.toLowerCase());
  if (verb === 'destroy' && args.length === 0) return { ok: true, command: { kind: 'destroy' } };
  if (verb === 'redeploy' && args.length === 0) return { ok: true, command: { kind: 'redeploy' } };
  if (verb === 'extend' && args.length === 1) {
    const by = args[0] as string;
    const parsed = parseDuration(by);
    if (!parsed.ok) return { ok: false, command: true, reason: parsed.reason };
    if (parsed.ms <= 0) return { ok: false, command: true, reason: `extend needs a positive duration, not "${by}"` };
    return { ok: true, command: { kind: 'extend', by } };
  }
  return { ok: false, command: true, reason: `cannot read "${line}": ${USAGE}` };
}
