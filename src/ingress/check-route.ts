import type { RepositoryConfig } from '../config';
import { previewWorkflowId } from '../lifecycle';
import type { Dispatch } from './dispatch';
import type { CheckRunPayload, CheckSuitePayload } from './webhook-payloads';

// check_run / check_suite → a `checksChanged` wake-up for the preview of the PR the check
// belongs to. The signal carries nothing the gate trusts: the workflow reads the checks through
// the `readChecks` activity, so a forged or late delivery costs one extra read at most.
//
// `status` events carry a SHA and no pull request. They are not routed: finding the previews
// whose head is that SHA would take a visibility query per delivery (statuses arrive by the
// dozen per commit), and the gate's bounded poll (`gate.pollInterval`) reads commit statuses
// anyway. So a CI that reports only commit statuses passes the gate within one poll interval.

type CheckPayload = { readonly event: 'check_run'; readonly payload: CheckRunPayload } | { readonly event: 'check_suite'; readonly payload: CheckSuitePayload };

function checkOf(check: CheckPayload): CheckRunPayload['check_run'] | CheckSuitePayload['check_suite'] {
  return check.event === 'check_run' ? check.payload.check_run : check.payload.check_suite;
}

/**
 * Only `completed` can move the gate (a check that starts or is re-requested is still pending).
 * The PR must be in this repository (a branch can also be proposed upstream) and have the
 * check's head: the first such PR is woken; GitHub lists more than one only when several PRs
 * share a head branch, and the others notice at their next poll.
 */
export function routeCheckEvent(check: CheckPayload, repo: RepositoryConfig, deliveryId: string): Dispatch {
  const { action, repository } = check.payload;
  if (action !== 'completed') return { kind: 'ignore', reason: `${check.event} action "${action}": only a completed check can open or close the CI gate` };
  const found = checkOf(check);
  const pr = found.pull_requests.find((p) => p.base.repo.id === repository.id && p.head.sha === found.head_sha);
  if (!pr) return { kind: 'ignore', reason: `${check.event} for ${found.head_sha.slice(0, 12)} names no pull request of ${repo.fullName} (a fork's checks list none): the gate's poll reads it` };
  const workflowId = previewWorkflowId({ repository: repo.fullName, number: pr.number });
  return { kind: 'signal', workflowId, message: { name: 'checksChanged', arg: { event: check.event, headSha: found.head_sha, deliveryId } } };
}

/** `status` has no pull request: answered by the gate's bounded poll (see above). */
export function routeStatusEvent(sha: string): Dispatch {
  return { kind: 'ignore', reason: `status events name no pull request: previews waiting for ${sha.slice(0, 12)} read its commit statuses at their next gate poll` };
}
