import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import {
  applyExtension,
  checkExtension,
  commandStaleness,
  interpretPrEvent,
  isNewestPrState,
  isShuttingDown,
  prEventStaleness,
  previewStatus,
  readPrEvent,
  rememberDelivery,
  stampsAfter,
  touch,
  type EventRole,
  type ExtensionCheck,
  type PrEventEffect,
} from '../src/lifecycle';
import {
  destroySignal,
  extendSignal,
  extendTtlUpdate,
  FailureType,
  prEventSignal,
  redeploySignal,
  statusQuery,
  workerVersionCheckSignal,
  type DestroyRequest,
  type ExtendRequest,
  type ExtendResult,
  type PrEvent,
  type RedeployRequest,
} from './contract';
import type { Preview } from './preview';

// Handlers only change state and wake the main loop; the main loop does the work. None of
// them throws on bad input: a throwing signal handler fails the workflow task on every retry.
// Every handler records one status event that names the delivery it handled, applied or
// ignored with the reason, so that any accepted webhook can be traced to what it did.

/** ` (delivery <id>)` for status events, empty for messages sent without one (CLI, tests). */
function deliveryNote(deliveryId: string | undefined): string {
  return deliveryId ? ` (delivery ${deliveryId})` : '';
}

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

function roleOf(event: PrEvent, effect: PrEventEffect): EventRole {
  if (effect.teardown) return 'ends';
  return event.mayCreate === true ? 'creates' : 'other';
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
  const role = roleOf(event, effect);
  const s = preview.state;
  const what = `${event.headSha.slice(0, 12)} by ${event.sender} (${event.deliveryId})`;
  const stale = prEventStaleness(event, role, s.stamps);
  if (stale) {
    preview.recordEvent(`pr-${event.action}-stale`, `${what}: ${stale}`);
    accepted(preview);
    return;
  }
  // A stamped event newer than everything applied shows the PR as it is: its head is the PR's head.
  const newest = isNewestPrState(event, s.stamps);
  const newHead = effect.newHead ?? (newest && event.headSha !== '' ? event.headSha : undefined);
  s.labels = [...effect.labels];
  preview.recordEvent(`pr-${event.action}`, what);
  if (effect.teardown) {
    if (event.action === 'closed') s.closed = true;
    if (s.recreate) preview.recordEvent('recreate-cancelled', `${effect.teardown}${deliveryNote(event.deliveryId)}`);
    s.recreate = undefined;
    preview.requestTeardown(effect.teardown);
  } else if (!s.teardown && !isShuttingDown(s.phase)) {
    if (newHead && newHead !== s.desiredHeadSha) {
      s.desiredHeadSha = newHead;
      if (s.phase === 'Blocked') preview.recordEvent('deploy-blocked', `${newHead.slice(0, 12)} not deployed: ${s.failureReason ?? 'over budget'}${deliveryNote(event.deliveryId)}`);
    }
    if (effect.touch) s.expiry = touch(s.expiry, Date.now());
  } else if (role === 'creates') {
    // Torn down or being torn down: the creating event takes effect after the teardown (bug 1 of issue 14).
    s.closed = false;
    s.recreate = { deliveryId: event.deliveryId, headSha: newHead, why: `pr-${event.action}${deliveryNote(event.deliveryId)}` };
    preview.recordEvent('recreate-requested', `after the teardown, a new preview at ${(newHead ?? s.desiredHeadSha).slice(0, 12)}${deliveryNote(event.deliveryId)}`);
  } else if (newHead) {
    // Not a creating event: remember the head for a later re-create, nothing else.
    s.desiredHeadSha = newHead;
  }
  s.stamps = stampsAfter(event, role, s.stamps, newHead !== undefined);
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
  const note = deliveryNote(request.deliveryId);
  preview.recordEvent('extended', check.clamped ? `by ${request.by}, stopped at the hard cap ${until}${note}` : `by ${request.by} until ${until}${note}`);
  accepted(preview);
}

function onExtendSignal(preview: Preview, request: ExtendRequest): void {
  if (!firstDelivery(preview, request?.deliveryId, 'extend')) return;
  const check = extensionCheck(preview, request, true);
  if (!check.ok) {
    preview.recordEvent('extend-rejected', `${check.reason}${deliveryNote(request?.deliveryId)}`);
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
  const s = preview.state;
  const reason = typeof request?.reason === 'string' && request.reason !== '' ? request.reason : 'no reason given';
  const note = deliveryNote(request?.deliveryId);
  const stale = commandStaleness(typeof request?.at === 'string' ? request.at : undefined, s.stamps);
  if (stale) preview.recordEvent('destroy-stale', `${reason}: ${stale}${note}`);
  else if (s.recreate) {
    preview.recordEvent('destroy', `${reason}: the re-create after the teardown is cancelled${note}`);
    s.recreate = undefined;
  } else if (s.teardown) preview.recordEvent('destroy-ignored', `${reason}: already ${s.phase === 'Destroyed' ? 'destroyed' : 'tearing down'} (${s.teardown.reason})${note}`);
  else {
    preview.recordEvent('destroy', `${reason}${note}`);
    if (request?.at !== undefined) s.stamps = { ...s.stamps, ended: request.at };
    preview.requestTeardown(`destroyed: ${reason}`);
  }
  accepted(preview);
}

function onRedeploy(preview: Preview, request: RedeployRequest): void {
  if (!firstDelivery(preview, request?.deliveryId, 'redeploy')) return;
  const s = preview.state;
  const note = deliveryNote(request?.deliveryId);
  if (!s.teardown) {
    s.redeployRequested = true;
    s.expiry = touch(s.expiry, Date.now());
    preview.recordEvent('redeploy-requested', `${request?.reason ?? 'no reason given'}${note}`);
  } else {
    preview.recordEvent('redeploy-ignored', `${request?.reason ?? 'no reason given'}: the preview is ${s.phase === 'Destroyed' ? 'destroyed' : 'being torn down'} (${s.teardown.reason})${note}`);
  }
  accepted(preview);
}

/** The handlers of every message in the contract (workflows/contract/messages.ts), bound to one preview. */
export function registerHandlers(preview: Preview): void {
  setHandler(prEventSignal, (event) => onPrEvent(preview, event), { description: 'A pull_request webhook event (from the ingress): may deploy a new head or tear the preview down.' });
  setHandler(extendSignal, (request) => onExtendSignal(preview, request), { description: 'Extends the expiry by a duration such as 4h; past the hard cap it stops at the cap.' });
  setHandler(extendTtlUpdate, (request) => onExtendTtl(preview, request), { validator: (request: ExtendRequest) => validateExtendTtl(preview, request), description: 'Extends the expiry and returns it; rejected with the reason if invalid or past the hard cap.' });
  setHandler(destroySignal, (request) => onDestroy(preview, request), { description: 'Tears the preview down now, whatever it is doing.' });
  setHandler(redeploySignal, (request) => onRedeploy(preview, request), { description: 'Deploys the latest head again, e.g. to recover from Degraded or Failed.' });
  setHandler(statusQuery, () => previewStatus(preview.state, preview.expiry, Date.now()), { description: 'The preview as previewctl shows it: phase, URLs, expiry, cost, recent events.' });
  // Nothing to do in the handler: the task it causes is what lets an idle run see that its worker version is outdated.
  setHandler(workerVersionCheckSignal, () => undefined, { description: 'Wakes an idle preview so that it moves to the Worker Deployment\'s current version (continue-as-new) when that changed.' });
}
