// Cost per hour comes from an activity (requests × rates); the projection depends on the
// expiry, which changes with every push and extension, so it is recomputed on demand.

const HOUR_MS = 3_600_000;

/** What the preview will cost from `now` until it expires, in the rate's currency. */
export function projectCost(perHour: number, now: number, expiresAt: number): number {
  const hours = Math.max(0, expiresAt - now) / HOUR_MS;
  return Math.round(perHour * hours * 10_000) / 10_000;
}
