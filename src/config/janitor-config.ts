import { z } from 'zod';
import { parseDuration } from '../lifecycle/duration';
import { positiveDuration } from './durations';

// The orphan-namespace janitor (a Temporal Schedule the worker keeps up to date at start).
//
// The retention window is the janitor's margin for everything ownership checks cannot see:
// clock skew between the API server and the worker, a workflow being reset or re-started by
// hand, a Temporal namespace migration during which previews are briefly not running, and
// the time people need to look at a failed preview's namespace before it goes. Ownership is
// confirmed through Temporal either way; the floor keeps a typo (`24m` for `24h`) from
// turning every short outage into a deletion.

export const MIN_JANITOR_RETENTION = '10m';
export const MIN_JANITOR_INTERVAL = '1m';

function atLeast(min: string) {
  const minMs = (parseDuration(min) as { ms: number }).ms;
  return positiveDuration.refine((text) => {
    const parsed = parseDuration(text);
    return !parsed.ok || parsed.ms >= minMs;
  }, `must be at least ${min}`);
}

export const janitorConfigSchema = z
  .object({
    /** Off: the worker pauses the schedule (it stays visible, with the reason as its note). */
    enabled: z.boolean().default(true),
    /** How often the schedule runs the janitor. */
    interval: atLeast(MIN_JANITOR_INTERVAL).default('1h'),
    /** Namespaces younger than this (by creationTimestamp) are never touched. */
    retention: atLeast(MIN_JANITOR_RETENTION).default('24h'),
    /** Report what would be deleted (the run's result, logs), delete nothing. */
    dryRun: z.boolean().default(false),
  })
  .strict();

export type JanitorConfig = z.infer<typeof janitorConfigSchema>;
