// The webhook ingress: GitHub deliveries in, signal-with-start or signal out. Routing decisions
// are pure values (pull-request-route.ts, issue-comment-route.ts); temporal-dispatcher.ts
// carries them out and answers 2xx only once Temporal has durably accepted the event.
export { buildIngress, WEBHOOK_PATH, type IngressDeps } from './build-ingress';
export { temporalClient, startIngress, serveIngress, type RunningIngress } from './start-ingress';
export { handleWebhook, HANDLED_EVENTS, type WebhookReply, type WebhookHandlerDeps } from './webhook-handler';
export { createSignatureCheck, signWebhookBody, type SignatureCheck } from './webhook-signature';
export { readDelivery, signatureHeader, parseJsonBody, type WebhookDelivery } from './webhook-delivery';
export {
  repositoryEnvelopeSchema,
  pullRequestPayloadSchema,
  issueCommentPayloadSchema,
  checkRunPayloadSchema,
  checkSuitePayloadSchema,
  statusPayloadSchema,
  type PullRequestPayload,
  type IssueCommentPayload,
  type CheckRunPayload,
  type CheckSuitePayload,
} from './webhook-payloads';
export { RepositoryAllowlist } from './repository-allowlist';
export { CREATING_ACTIONS, EXISTING_ONLY_ACTIONS, isForkPullRequest, creationRefusal } from './creation-policy';
export { routePullRequest } from './pull-request-route';
export { routeIssueComment, type CommentRoute } from './issue-comment-route';
export { routeCheckEvent, routeStatusEvent } from './check-route';
export type { Dispatch, SignalMessage } from './dispatch';
export { TemporalDispatcher, type DispatchOutcome, type TemporalDispatcherOptions } from './temporal-dispatcher';
export { classifyTemporalError, type TemporalOutcome } from './temporal-errors';
export { createIngressMetrics, type IngressMetrics } from './ingress-metrics';
export { registerHealthRoutes } from './health-routes';
