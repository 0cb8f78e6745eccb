import type { PrEvent, PrStamps } from '../../workflows/contract';

// Webhook deliveries arrive in any order (GitHub sends them concurrently, a refused one is
// redelivered by hand later). Each carries GitHub's clock: a pull_request payload its
// `updated_at`, a command comment its `created_at`. The workflow keeps the stamps of what it
// applied (PrStamps) and records an event older than what it would change as `stale`.
//
// `updated_at` has second resolution. Within one second: a push whose head is the `before` of
// the push that set the current head is the older one; any other tie is applied in arrival
// order, and the GitHub confirmation at the next step boundary (readPullRequest) settles it.

const older = (a: string, b: string | undefined): boolean => b !== undefined && Date.parse(a) < Date.parse(b);

/** What an event does to the preview's existence, by the creation policy and the trigger. */
export type EventRole = 'creates' | 'ends' | 'other';

/** Why this pull_request event is stale (older than what it would change), or undefined when it applies. */
export function prEventStaleness(event: PrEvent, role: EventRole, stamps: PrStamps | undefined): string | undefined {
  const at = event.updatedAt;
  if (at === undefined || stamps === undefined) return undefined;
  // An ending event only loses to a newer creating one (a label added while closed does not revive a close).
  if (role === 'ends') return older(at, stamps.created) ? `older than the event that brought the preview up (updated_at ${at} < ${stamps.created})` : undefined;
  if (older(at, stamps.pr)) return `older than the pull request state already applied (updated_at ${at} < ${stamps.pr})`;
  if (role === 'creates' && older(at, stamps.ended)) return `older than the event that ended the preview (updated_at ${at} < ${stamps.ended})`;
  if (event.action === 'synchronize' && at === stamps.pr && stamps.headBefore !== undefined && stamps.headBefore === event.headSha) {
    return `a push that the current head replaced (same updated_at ${at})`;
  }
  return undefined;
}

/** Whether this applied event is strictly newer than every pull_request event applied before (its head is the PR's head). */
export function isNewestPrState(event: PrEvent, stamps: PrStamps | undefined): boolean {
  return event.updatedAt !== undefined && (stamps?.pr === undefined || Date.parse(event.updatedAt) > Date.parse(stamps.pr));
}

/** The stamps after applying `event`. */
export function stampsAfter(event: PrEvent, role: EventRole, stamps: PrStamps | undefined, headMoved: boolean): PrStamps | undefined {
  const at = event.updatedAt;
  if (at === undefined) return stamps;
  const next: PrStamps = { ...stamps };
  if (!older(at, next.pr)) next.pr = at;
  if (headMoved) next.headBefore = event.before;
  if (role === 'creates' && !older(at, next.created)) next.created = at;
  if (role === 'ends') next.ended = at;
  return next;
}

/** Why a command comment (destroy) written at `at` is stale: older than the newest creating event applied. */
export function commandStaleness(at: string | undefined, stamps: PrStamps | undefined): string | undefined {
  if (at === undefined) return undefined;
  return older(at, stamps?.created) ? `written before the event that brought the preview up (created_at ${at} < ${stamps?.created})` : undefined;
}

/**
 * Why the GitHub confirmation must not apply a `/preview destroy` it read from the PR's
 * comments: stale (written before the event that brought the preview up), or already applied
 * (no newer than the ending this run recorded, e.g. by the command's own webhook). Undefined:
 * apply it. Without the second rule a destroy applied by its webhook was applied again by the
 * confirmation of a later re-creation whose creating stamp had not moved (CI race seed 88586696).
 */
export function readDestroyRefusal(at: string, stamps: PrStamps | undefined): string | undefined {
  const stale = commandStaleness(at, stamps);
  if (stale) return stale;
  return stamps?.ended !== undefined && !older(stamps.ended, at) ? `already applied (ended at ${stamps.ended})` : undefined;
}
