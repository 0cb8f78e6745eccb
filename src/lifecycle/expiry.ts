import type { ExpiryState } from '../../workflows/contract';
import { formatDuration, parseDuration } from '../config/durations';
import type { ResolvedTtlPolicy } from './ttl-policy';

// The expiry is derived, never stored: idle expiry (last activity + the TTL the labels select),
// or an explicit extension if that is later, never past the hard cap counted from creation.
// Deriving it means a label change or a push simply recomputes, and removing the do-not-expire
// label shortens the preview again without forgetting what someone explicitly extended.

export interface ExpiryView {
  readonly expiresAt: number;
  readonly hardCapAt: number;
  /** The idle TTL the labels currently select. */
  readonly idleTtlMs: number;
  readonly extendedTtl: boolean;
}

export function newExpiry(now: number): ExpiryState {
  return { createdAt: now, idleFrom: now };
}

export function hasExtendedLabel(policy: ResolvedTtlPolicy, labels: readonly string[]): boolean {
  return labels.includes(policy.extendedLabel);
}

export function expiryView(expiry: ExpiryState, policy: ResolvedTtlPolicy, labels: readonly string[]): ExpiryView {
  const extendedTtl = hasExtendedLabel(policy, labels);
  const idleTtlMs = extendedTtl ? policy.extendedMs : policy.defaultMs;
  const hardCapAt = expiry.createdAt + policy.maxMs;
  const wanted = Math.max(expiry.idleFrom + idleTtlMs, expiry.extendedUntil ?? 0);
  return { expiresAt: Math.min(wanted, hardCapAt), hardCapAt, idleTtlMs, extendedTtl };
}

/** A push or reopen: the idle clock starts again. */
export function touch(expiry: ExpiryState, now: number): ExpiryState {
  return { ...expiry, idleFrom: Math.max(expiry.idleFrom, now) };
}

export type ExtensionCheck =
  | { readonly ok: true; readonly byMs: number; readonly expiresAt: number; readonly clamped: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * What extending by `by` would do: the new expiry is the current one plus `by`. `allowClamp`
 * says whether going past the hard cap ends at the cap (the fire-and-forget signal) or is
 * refused (the update, whose caller gets the reason back).
 */
export function checkExtension(
  expiry: ExpiryState,
  policy: ResolvedTtlPolicy,
  labels: readonly string[],
  by: unknown,
  opts: { readonly allowClamp: boolean },
): ExtensionCheck {
  const parsed = parseDuration(by);
  if (!parsed.ok) return { ok: false, reason: `cannot extend: ${parsed.reason}` };
  if (parsed.ms <= 0) return { ok: false, reason: `cannot extend by ${String(by)}: the duration must be positive` };
  const view = expiryView(expiry, policy, labels);
  const target = view.expiresAt + parsed.ms;
  if (target <= view.hardCapAt) return { ok: true, byMs: parsed.ms, expiresAt: target, clamped: false };
  const room = view.hardCapAt - view.expiresAt;
  if (!opts.allowClamp || room <= 0) {
    return {
      ok: false,
      reason:
        `cannot extend by ${String(by)}: the preview would pass its hard cap of ${formatDuration(policy.maxMs)} from creation ` +
        `(${new Date(view.hardCapAt).toISOString()}); at most ${formatDuration(Math.max(0, room))} can be added`,
    };
  }
  return { ok: true, byMs: room, expiresAt: view.hardCapAt, clamped: true };
}

export function applyExtension(expiry: ExpiryState, expiresAt: number): ExpiryState {
  return { ...expiry, extendedUntil: Math.max(expiry.extendedUntil ?? 0, expiresAt) };
}
