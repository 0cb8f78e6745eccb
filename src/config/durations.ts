import { z } from 'zod';
import { parseDuration } from '../lifecycle/duration';

// Durations in config use the same grammar as `/preview extend 4h` (src/lifecycle/duration).
// Imported from the file, not the lifecycle index: that index imports config types back.

/** A positive duration such as `30s`, `1m` or `4h`, kept as text (the workflow input carries text). */
export const positiveDuration = z.string().superRefine((text, ctx) => {
  const parsed = parseDuration(text);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
  else if (parsed.ms <= 0) ctx.addIssue({ code: 'custom', message: `duration "${text}" must be positive` });
});

/** Milliseconds of a duration that `positiveDuration` accepted. */
export function durationMs(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.ms;
}
