// The lifecycle's pure decisions, shared by the workflow and its clients: expiry and TTL,
// reading PR events, redelivery memory, rollout plans, status. Deterministic and free of I/O
// (the workflow bundle includes it); the types it works on are the workflow contract's.
export { previewWorkflowId, parsePullRequestRef, InvalidPullRequestRefError, type PullRequestRef } from './workflow-id';
export { isShuttingDown, isDeploying } from './phase';
export { DEFAULT_TTL_POLICY, resolveTtlPolicy, type ResolvedTtlPolicy } from './ttl-policy';
export { DEFAULT_LIFECYCLE_OPTIONS, resolveLifecycleOptions, type ResolvedLifecycleOptions } from './lifecycle-options';
export { newExpiry, hasExtendedLabel, expiryView, touch, checkExtension, applyExtension, type ExpiryView, type ExtensionCheck } from './expiry';
export { readPrEvent, interpretPrEvent, type PrEventRead, type PrEventEffect } from './pr-event';
export { rememberDelivery, type DeliveryCheck } from './delivery-memory';
export { confirmationRefusal } from './pr-confirmation';
export { prEventStaleness, isNewestPrState, stampsAfter, commandStaleness, readDestroyRefusal, type EventRole } from './pr-stamps';
export { appendEvent } from './recent-events';
export { selectServices, planRollout, type RolloutStep } from './rollout-plan';
export { planImages, type ImagePlan } from './image-plan';
export { projectCost } from './cost-projection';
export { previewUrls, previewStatus } from './preview-status';
export { currentDetails } from './current-details';
export { updateServiceStates, type ServiceChange } from './service-states';
export { gateVerdict, describeGateVerdict, resolveGate, type GateVerdict, type ResolvedGate } from './check-gate';
