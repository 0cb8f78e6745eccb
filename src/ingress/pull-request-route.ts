import type { LifecycleConfig, RepositoryConfig } from '../config';
import { PR_EVENT_ACTIONS, type PrEvent, type PrEventAction } from '../../workflows/contract';
import { previewWorkflowId } from '../lifecycle';
import { CREATING_ACTIONS, creationRefusal, EXISTING_ONLY_ACTIONS } from './creation-policy';
import type { Dispatch } from './dispatch';
import type { PullRequestPayload } from './webhook-payloads';

// pull_request → Temporal. The workflow id comes from the configured repository and the PR
// number only; the repository config (key, services, where things go) comes from operator
// configuration, never from the payload.

const HANDLED_ACTIONS: ReadonlySet<string> = new Set([...CREATING_ACTIONS, ...EXISTING_ONLY_ACTIONS]);

function prEvent(payload: PullRequestPayload, deliveryId: string, mayCreate: boolean): PrEvent {
  const { updated_at: updatedAt } = payload.pull_request;
  return {
    action: payload.action as PrEventAction,
    headSha: payload.pull_request.head.sha,
    labels: payload.pull_request.labels.map((l) => l.name),
    sender: payload.sender.login,
    deliveryId,
    // GitHub's clock and the creation policy's verdict: the workflow orders late deliveries by
    // the first and, after a teardown, lets only events the policy allows bring a preview back.
    ...(updatedAt !== undefined && { updatedAt }),
    ...(payload.action === 'synchronize' && payload.before !== undefined && { before: payload.before }),
    mayCreate,
  };
}

export function routePullRequest(payload: PullRequestPayload, repo: RepositoryConfig, lifecycle: LifecycleConfig, deliveryId: string): Dispatch {
  if (!HANDLED_ACTIONS.has(payload.action) || !(PR_EVENT_ACTIONS as readonly string[]).includes(payload.action)) {
    return { kind: 'ignore', reason: `pull_request action "${payload.action}" does not concern previews` };
  }
  const workflowId = previewWorkflowId({ repository: repo.fullName, number: payload.number });
  const refusal = creationRefusal(payload, repo.trigger);
  const event = prEvent(payload, deliveryId, refusal === undefined);
  if (refusal !== undefined) return { kind: 'signal', workflowId, message: { name: 'prEvent', arg: event }, why: refusal };
  return {
    kind: 'signal-with-start',
    workflowId,
    event,
    input: {
      pr: { repository: repo.fullName, number: payload.number, headSha: event.headSha, labels: event.labels, author: payload.pull_request.user.login },
      config: repo,
      options: lifecycle,
    },
  };
}
