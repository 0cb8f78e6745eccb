import type { RepositoryConfig } from '../config';
import { previewWorkflowId } from '../lifecycle';
import { COMMAND_AUTHOR_ASSOCIATIONS, parseCommentCommand } from '../github';
import type { Dispatch } from './dispatch';
import type { IssueCommentPayload } from './webhook-payloads';

// issue_comment → a signal to the PR's preview. Commands only act on a preview that exists;
// none creates one. Only repository members may use them (COMMAND_AUTHOR_ASSOCIATIONS).

export type CommentRoute = Dispatch & { readonly unauthorized?: boolean };

export function routeIssueComment(payload: IssueCommentPayload, repo: RepositoryConfig, deliveryId: string): CommentRoute {
  if (payload.action !== 'created') return { kind: 'ignore', reason: `issue_comment action "${payload.action}": only new comments carry commands` };
  if (!payload.issue.pull_request) return { kind: 'ignore', reason: 'comment on an issue, not on a pull request' };
  const parsed = parseCommentCommand(payload.comment.body);
  if (!parsed.ok) return { kind: 'ignore', reason: parsed.reason };
  const association = payload.comment.author_association;
  if (!COMMAND_AUTHOR_ASSOCIATIONS.has(association)) {
    return { kind: 'ignore', unauthorized: true, reason: `@${payload.comment.user.login} (${association}) may not run /preview commands; only OWNER, MEMBER and COLLABORATOR may` };
  }
  const workflowId = previewWorkflowId({ repository: repo.fullName, number: payload.issue.number });
  const who = `@${payload.comment.user.login}`;
  // When the command was written: the workflow recognises a late destroy by it.
  const at = payload.comment.created_at !== undefined ? { at: payload.comment.created_at } : {};
  switch (parsed.command.kind) {
    case 'extend':
      return { kind: 'signal', workflowId, message: { name: 'extend', arg: { by: parsed.command.by, deliveryId, ...at } } };
    case 'destroy':
      return { kind: 'signal', workflowId, message: { name: 'destroy', arg: { reason: `/preview destroy by ${who}`, deliveryId, ...at } } };
    case 'redeploy':
      return { kind: 'signal', workflowId, message: { name: 'redeploy', arg: { reason: `/preview redeploy by ${who}`, deliveryId, ...at } } };
  }
}
