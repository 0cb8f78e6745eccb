import { z } from 'zod';
import { durationMs, nonNegativeDurationProblem, parseDuration, positiveDurationProblem } from './durations';

// The zod side of durations, for the config schemas. Kept apart from durations.ts, which the
// workflow bundle includes: zod in the bundle is instantiated again in every workflow run's
// sandbox (the bench's sandbox section measures it).

/** A positive duration such as `30s`, `1m` or `4h`, kept as text (the workflow input carries text). */
export const positiveDuration = z.string().superRefine((text, ctx) => {
  const problem = positiveDurationProblem(text);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** A duration that may be zero (`0s`: not at all), kept as text. */
export const nonNegativeDuration = z.string().superRefine((text, ctx) => {
  const problem = nonNegativeDurationProblem(text);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** A positive duration of at least `min` (itself a valid duration). */
export function durationAtLeast(min: string) {
  const minMs = durationMs(min);
  return positiveDuration.refine((text) => {
    const parsed = parseDuration(text);
    return !parsed.ok || parsed.ms >= minMs;
  }, `must be at least ${min}`);
}

/** `schema` (a duration schema), refined to at most `max` (itself a valid duration). */
export function durationAtMost(max: string, schema: typeof positiveDuration) {
  const maxMs = durationMs(max);
  return schema.refine((text) => {
    const parsed = parseDuration(text);
    return !parsed.ok || parsed.ms <= maxMs;
  }, `must be at most ${max}`);
}
