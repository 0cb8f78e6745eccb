import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import {
  applyExtension,
  checkExtension,
  expiryView,
  interpretPrEvent,
  isShuttingDown,
  previewStatus,
  readPrEvent,
  rememberDelivery,
  touch,
  type ExtensionCheck,
} from '../src/lifecycle';
import { changed, recordEvent, requestTeardown, type Runtime } from './lifecycle-runtime';
import {
  destroySignal,
  extendSignal,
  extendTtlUpdate,
  prEventSignal,
  redeploySignal,
  statusQuery,
  type DestroyRequest,
  type ExtendRequest,
  type ExtendResult,
  type RedeployRequest,
} from './messages';

// Handlers only change state and wake the main loop; the main loop does the work. None of
// them throws on bad input: a throwing signal handler fails the workflow task on every retry.

/** False (and recorded) when this delivery was handled before. */
function firstDelivery(rt: Runtime, deliveryId: string | undefined, what: string): boolean {
  rt.messagesThisRun++;
  if (!deliveryId) return true;
  const check = rememberDelivery(rt.state.deliveries, deliveryId, rt.options.deliveryMemory);
  rt.state.deliveries = check.remembered;
  if (check.duplicate) recordEvent(rt, 'duplicate', `${what} delivery ${deliveryId} ignored`);
  return !check.duplicate;
}

function accepted(rt: Runtime): void {
  rt.state.eventsHandled++;
  changed(rt);
}

function onPrEvent(rt: Runtime, raw: unknown): void {
  const read = readPrEvent(raw);
  if (!read.ok) {
    rt.messagesThisRun++;
    recordEvent(rt, 'ignored', read.reason);
    return;
  }
  const event = read.event;
  if (!firstDelivery(rt, event.deliveryId, `prEvent ${event.action}`)) return;
  const effect = interpretPrEvent(event, rt.input.config.trigger);
  const s = rt.state;
  s.labels = [...effect.labels];
  recordEvent(rt, `pr-${event.action}`, `${event.headSha.slice(0, 12)} by ${event.sender} (${event.deliveryId})`);
  if (effect.teardown) requestTeardown(rt, effect.teardown);
  else if (!s.teardown && !isShuttingDown(s.phase)) {
    if (effect.newHead) s.desiredHeadSha = effect.newHead;
    if (effect.touch) s.expiry = touch(s.expiry, Date.now());
  }
  accepted(rt);
}

function extensionCheck(rt: Runtime, request: ExtendRequest | undefined, allowClamp: boolean): ExtensionCheck {
  if (rt.state.teardown || isShuttingDown(rt.state.phase)) return { ok: false, reason: `cannot extend: the preview is being torn down (${rt.state.teardown?.reason ?? rt.state.phase})` };
  return checkExtension(rt.state.expiry, rt.ttl, rt.state.labels, request?.by, { allowClamp });
}

function extend(rt: Runtime, request: ExtendRequest, check: Extract<ExtensionCheck, { ok: true }>): void {
  rt.state.expiry = applyExtension(rt.state.expiry, check.expiresAt);
  const until = new Date(check.expiresAt).toISOString();
  recordEvent(rt, 'extended', check.clamped ? `by ${request.by}, stopped at the hard cap ${until}` : `by ${request.by} until ${until}`);
  accepted(rt);
}

function onExtendSignal(rt: Runtime, request: ExtendRequest): void {
  if (!firstDelivery(rt, request?.deliveryId, 'extend')) return;
  const check = extensionCheck(rt, request, true);
  if (!check.ok) {
    recordEvent(rt, 'extend-rejected', check.reason);
    changed(rt);
    return;
  }
  extend(rt, request, check);
}

function currentExpiry(rt: Runtime): ExtendResult {
  const view = expiryView(rt.state.expiry, rt.ttl, rt.state.labels);
  const expiresAt = new Date(view.expiresAt).toISOString();
  return { expiresAt, previousExpiresAt: expiresAt, hardCapAt: new Date(view.hardCapAt).toISOString() };
}

/** Runs before the update is accepted: a rejection leaves no trace in history and says why. */
function validateExtendTtl(rt: Runtime, request: ExtendRequest): void {
  if (request?.deliveryId && rt.state.deliveries.includes(request.deliveryId)) return;
  const check = extensionCheck(rt, request, false);
  if (!check.ok) throw new Error(check.reason);
}

function onExtendTtl(rt: Runtime, request: ExtendRequest): ExtendResult {
  const before = currentExpiry(rt);
  if (!firstDelivery(rt, request.deliveryId, 'extendTtl')) return before;
  const check = extensionCheck(rt, request, false);
  // The validator accepted it in this same task; a refusal here would mean a bug, so surface it.
  if (!check.ok) throw ApplicationFailure.create({ message: check.reason, type: 'ValidationError', nonRetryable: true });
  extend(rt, request, check);
  return { ...currentExpiry(rt), previousExpiresAt: before.expiresAt };
}

function onDestroy(rt: Runtime, request: DestroyRequest): void {
  if (!firstDelivery(rt, request?.deliveryId, 'destroy')) return;
  const reason = typeof request?.reason === 'string' && request.reason !== '' ? request.reason : 'no reason given';
  requestTeardown(rt, `destroyed: ${reason}`);
  accepted(rt);
}

function onRedeploy(rt: Runtime, request: RedeployRequest): void {
  if (!firstDelivery(rt, request?.deliveryId, 'redeploy')) return;
  if (!rt.state.teardown) {
    rt.state.redeployRequested = true;
    rt.state.expiry = touch(rt.state.expiry, Date.now());
    recordEvent(rt, 'redeploy-requested', request?.reason ?? 'no reason given');
  }
  accepted(rt);
}

export function registerHandlers(rt: Runtime): void {
  setHandler(prEventSignal, (event) => onPrEvent(rt, event));
  setHandler(extendSignal, (request) => onExtendSignal(rt, request));
  setHandler(extendTtlUpdate, (request) => onExtendTtl(rt, request), { validator: (request: ExtendRequest) => validateExtendTtl(rt, request) });
  setHandler(destroySignal, (request) => onDestroy(rt, request));
  setHandler(redeploySignal, (request) => onRedeploy(rt, request));
  setHandler(statusQuery, () => previewStatus(rt.state, rt.ttl, Date.now()));
}
