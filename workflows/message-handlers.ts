import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { applyExtension, checkExtension, interpretPrEvent, isShuttingDown, previewStatus, readPrEvent, rememberDelivery, touch, type ExtensionCheck } from '../src/lifecycle';
import {
  destroySignal,
  extendSignal,
  extendTtlUpdate,
  FailureType,
  prEventSignal,
  redeploySignal,
  statusQuery,
  type DestroyRequest,
  type ExtendRequest,
  type ExtendResult,
  type RedeployRequest,
} from './contract';
import type { Preview } from './preview';

// Handlers only change state and wake the main loop; the main loop does the work. None of
// them throws on bad input: a throwing signal handler fails the workflow task on every retry.

/** False (and recorded) when this delivery was handled before. */
function firstDelivery(preview: Preview, deliveryId: string | undefined, what: string): boolean {
  preview.messagesThisRun++;
  if (!deliveryId) return true;
  const check = rememberDelivery(preview.state.deliveries, deliveryId, preview.options.deliveryMemory);
  preview.state.deliveries = check.remembered;
  if (check.duplicate) preview.recordEvent('duplicate', `${what} delivery ${deliveryId} ignored`);
  return !check.duplicate;
}

function accepted(preview: Preview): void {
  preview.state.eventsHandled++;
  preview.changed();
}

function onPrEvent(preview: Preview, raw: unknown): void {
  const read = readPrEvent(raw);
  if (!read.ok) {
    preview.messagesThisRun++;
    preview.recordEvent('ignored', read.reason);
    return;
  }
  const event = read.event;
  if (!firstDelivery(preview, event.deliveryId, `prEvent ${event.action}`)) return;
  const effect = interpretPrEvent(event, preview.input.config.trigger);
  const s = preview.state;
  s.labels = [...effect.labels];
  preview.recordEvent(`pr-${event.action}`, `${event.headSha.slice(0, 12)} by ${event.sender} (${event.deliveryId})`);
  if (effect.teardown) preview.requestTeardown(effect.teardown);
  else if (!s.teardown && !isShuttingDown(s.phase)) {
    if (effect.newHead) s.desiredHeadSha = effect.newHead;
    if (effect.touch) s.expiry = touch(s.expiry, Date.now());
  }
  accepted(preview);
}

function extensionCheck(preview: Preview, request: ExtendRequest | undefined, allowClamp: boolean): ExtensionCheck {
  const s = preview.state;
  if (s.teardown || isShuttingDown(s.phase)) return { ok: false, reason: `cannot extend: the preview is being torn down (${s.teardown?.reason ?? s.phase})` };
  return checkExtension(s.expiry, preview.ttl, s.labels, request?.by, { allowClamp });
}

function extend(preview: Preview, request: ExtendRequest, check: Extract<ExtensionCheck, { ok: true }>): void {
  preview.state.expiry = applyExtension(preview.state.expiry, check.expiresAt);
  const until = new Date(check.expiresAt).toISOString();
  preview.recordEvent('extended', check.clamped ? `by ${request.by}, stopped at the hard cap ${until}` : `by ${request.by} until ${until}`);
  accepted(preview);
}

function onExtendSignal(preview: Preview, request: ExtendRequest): void {
  if (!firstDelivery(preview, request?.deliveryId, 'extend')) return;
  const check = extensionCheck(preview, request, true);
  if (!check.ok) {
    preview.recordEvent('extend-rejected', check.reason);
    preview.changed();
    return;
  }
  extend(preview, request, check);
}

function currentExpiry(preview: Preview): ExtendResult {
  const view = preview.expiry;
  const expiresAt = new Date(view.expiresAt).toISOString();
  return { expiresAt, previousExpiresAt: expiresAt, hardCapAt: new Date(view.hardCapAt).toISOString() };
}

/** Runs before the update is accepted: a rejection leaves no trace in history and says why. */
function validateExtendTtl(preview: Preview, request: ExtendRequest): void {
  if (request?.deliveryId && preview.state.deliveries.includes(request.deliveryId)) return;
  const check = extensionCheck(preview, request, false);
  if (!check.ok) throw new Error(check.reason);
}

function onExtendTtl(preview: Preview, request: ExtendRequest): ExtendResult {
  const before = currentExpiry(preview);
  if (!firstDelivery(preview, request.deliveryId, 'extendTtl')) return before;
  const check = extensionCheck(preview, request, false);
  // The validator accepted it in this same task; a refusal here would mean a bug, so surface it.
  if (!check.ok) throw ApplicationFailure.create({ message: check.reason, type: FailureType.ValidationError, nonRetryable: true });
  extend(preview, request, check);
  return { ...currentExpiry(preview), previousExpiresAt: before.expiresAt };
}

function onDestroy(preview: Preview, request: DestroyRequest): void {
  if (!firstDelivery(preview, request?.deliveryId, 'destroy')) return;
  const reason = typeof request?.reason === 'string' && request.reason !== '' ? request.reason : 'no reason given';
  preview.requestTeardown(`destroyed: ${reason}`);
  accepted(preview);
}

function onRedeploy(preview: Preview, request: RedeployRequest): void {
  if (!firstDelivery(preview, request?.deliveryId, 'redeploy')) return;
  if (!preview.state.teardown) {
    preview.state.redeployRequested = true;
    preview.state.expiry = touch(preview.state.expiry, Date.now());
    preview.recordEvent('redeploy-requested', request?.reason ?? 'no reason given');
  }
  accepted(preview);
}

/** The handlers of every message in the contract (workflows/contract/messages.ts), bound to one preview. */
export function registerHandlers(preview: Preview): void {
  setHandler(prEventSignal, (event) => onPrEvent(preview, event));
  setHandler(extendSignal, (request) => onExtendSignal(preview, request));
  setHandler(extendTtlUpdate, (request) => onExtendTtl(preview, request), { validator: (request: ExtendRequest) => validateExtendTtl(preview, request) });
  setHandler(destroySignal, (request) => onDestroy(preview, request));
  setHandler(redeploySignal, (request) => onRedeploy(preview, request));
  setHandler(statusQuery, () => previewStatus(preview.state, preview.expiry, Date.now()));
}
