import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { PreviewdConfig, RepositoryConfig } from '../config';
import { BadRequestError, RateLimitedError, UnauthorizedError } from '../errors';
import type { Dispatch } from './dispatch';
import { routeCheckEvent, routeStatusEvent } from './check-route';
import { routeIssueComment } from './issue-comment-route';
import { routePullRequest } from './pull-request-route';
import type { RepositoryAllowlist } from './repository-allowlist';
import type { DispatchOutcome, TemporalDispatcher } from './temporal-dispatcher';
import { parseJsonBody, readDelivery, type WebhookDelivery } from './webhook-delivery';
import { checkRunPayloadSchema, checkSuitePayloadSchema, issueCommentPayloadSchema, pullRequestPayloadSchema, repositoryEnvelopeSchema, statusPayloadSchema } from './webhook-payloads';
import type { SignatureCheck } from './webhook-signature';

// One delivery, in the order that keeps the cheap and unauthenticated parts first:
// signature → JSON → event → allowlist → route → per-repository rate limit (only for what
// creates work) → Temporal.

export const HANDLED_EVENTS: ReadonlySet<string> = new Set(['pull_request', 'issue_comment', 'check_run', 'check_suite', 'status']);

export interface WebhookReply {
  readonly status: 200 | 202;
  readonly body: {
    readonly result: 'pong' | 'accepted' | 'ignored';
    readonly deliveryId: string;
    readonly reason?: string;
    readonly workflowId?: string;
  };
  /** For logs and metrics. */
  readonly event: string;
  readonly action: string;
  readonly outcome: 'pong' | 'accepted' | 'ignored' | 'no_preview' | 'not_allowlisted' | 'not_permitted';
}

export interface WebhookHandlerDeps {
  readonly config: Pick<PreviewdConfig, 'lifecycle'>;
  readonly allowlist: RepositoryAllowlist;
  readonly checkSignature: SignatureCheck;
  readonly dispatcher: TemporalDispatcher;
  /** Resolves false when the repository is over its rate limit. */
  readonly allowRepository: (repository: string) => Promise<boolean>;
  readonly log: FastifyBaseLogger;
}

function parsePayload<T>(schema: z.ZodType<T>, body: unknown, event: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new BadRequestError(`${event} payload lacks a valid ${issue ? issue.path.join('.') : 'body'}`);
}

function actionOf(body: unknown): string {
  const action = (body as { action?: unknown } | null)?.action;
  return typeof action === 'string' && /^[a-z_]{1,64}$/.test(action) ? action : 'none';
}

function reply(delivery: WebhookDelivery, action: string, outcome: DispatchOutcome): WebhookReply {
  const base = { event: delivery.event, action };
  if (outcome.result === 'accepted') {
    return { ...base, status: 202, outcome: 'accepted', body: { result: 'accepted', deliveryId: delivery.deliveryId, workflowId: outcome.workflowId } };
  }
  if (outcome.result === 'no_preview') {
    const reason = `no preview is running for this pull request${outcome.why ? ` (and this event may not create one: ${outcome.why})` : ''}`;
    return { ...base, status: 202, outcome: 'no_preview', body: { result: 'ignored', deliveryId: delivery.deliveryId, workflowId: outcome.workflowId, reason } };
  }
  return { ...base, status: 202, outcome: 'ignored', body: { result: 'ignored', deliveryId: delivery.deliveryId, reason: outcome.reason } };
}

/**
 * What the rate limit may refuse: a delivery that may start a preview or a deploy round. Ending
 * and keeping events (closed, trigger label removed, destroy, extend, any signal to an existing
 * preview that adds no round) are never refused: refusing them would keep previews alive.
 */
function createsWork(decision: Dispatch): boolean {
  if (decision.kind === 'signal-with-start') return true;
  return decision.kind === 'signal' && decision.message.name === 'redeploy';
}

function ignored(delivery: WebhookDelivery, action: string, outcome: WebhookReply['outcome'], reason: string): WebhookReply {
  return { event: delivery.event, action, status: 202, outcome, body: { result: 'ignored', deliveryId: delivery.deliveryId, reason } };
}

function route(delivery: WebhookDelivery, body: unknown, repo: RepositoryConfig, deps: WebhookHandlerDeps): Dispatch & { unauthorized?: boolean } {
  switch (delivery.event) {
    case 'pull_request':
      return routePullRequest(parsePayload(pullRequestPayloadSchema, body, delivery.event), repo, deps.config.lifecycle, delivery.deliveryId);
    case 'check_run':
      return routeCheckEvent({ event: 'check_run', payload: parsePayload(checkRunPayloadSchema, body, delivery.event) }, repo, delivery.deliveryId);
    case 'check_suite':
      return routeCheckEvent({ event: 'check_suite', payload: parsePayload(checkSuitePayloadSchema, body, delivery.event) }, repo, delivery.deliveryId);
    case 'status':
      return routeStatusEvent(parsePayload(statusPayloadSchema, body, delivery.event).sha);
    default:
      return routeIssueComment(parsePayload(issueCommentPayloadSchema, body, delivery.event), repo, delivery.deliveryId);
  }
}

export async function handleWebhook(deps: WebhookHandlerDeps, headers: Record<string, string | string[] | undefined>, rawBody: string, signature: string | undefined): Promise<WebhookReply> {
  if (!(await deps.checkSignature(rawBody, signature))) {
    throw new UnauthorizedError(signature ? 'the X-Hub-Signature-256 signature does not match any configured webhook secret' : 'the X-Hub-Signature-256 header is missing');
  }
  const body = parseJsonBody(rawBody);
  const delivery = readDelivery(headers);
  const action = HANDLED_EVENTS.has(delivery.event) ? actionOf(body) : 'none';
  if (delivery.event === 'ping') return { event: 'ping', action, status: 200, outcome: 'pong', body: { result: 'pong', deliveryId: delivery.deliveryId } };
  if (!HANDLED_EVENTS.has(delivery.event)) return ignored(delivery, action, 'ignored', `event "${delivery.event}" does not concern previews`);

  const repository = parsePayload(repositoryEnvelopeSchema, body, delivery.event).repository.full_name;
  const repo = deps.allowlist.find(repository);
  if (!repo) {
    deps.log.warn({ deliveryId: delivery.deliveryId, event: delivery.event, repository }, 'delivery for a repository outside the allowlist ignored');
    return ignored(delivery, action, 'not_allowlisted', `repository ${repository} is not configured for previews`);
  }
  const decision = route(delivery, body, repo, deps);

  if (decision.kind === 'ignore' && decision.unauthorized) {
    deps.log.warn({ deliveryId: delivery.deliveryId, repository: repo.fullName, reason: decision.reason }, 'preview command refused');
    return ignored(delivery, action, 'not_permitted', decision.reason);
  }
  if (createsWork(decision) && !(await deps.allowRepository(repo.fullName))) throw new RateLimitedError(`too many deliveries for ${repo.fullName}; retry later`);
  const outcome = await deps.dispatcher.dispatch(decision);
  return reply(delivery, action, outcome);
}
