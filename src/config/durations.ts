// Durations arrive as text from people (`/preview extend 4h`, `temporal workflow signal
// --input '{"by":"1d12h"}'`) and from configuration (`ttl.default: 4h`). One grammar for both
// keeps "what does 90m mean" a single answer. A leaf of the module graph: config schemas, the
// lifecycle logic and the workflow bundle all use it, and it imports nothing at all (the zod
// schemas built on it are in duration-schemas.ts: zod stays out of the workflow bundle).

export type DurationParse = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly reason: string };

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const TERM_SOURCE = '(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d|w)';
const EXAMPLES = 'use a number with a unit such as 30m, 4h, 1d12h or 7d';

/**
 * Parses `<number><unit>` terms (units ms, s, m, h, d, w), e.g. `4h`, `1h30m`, `1.5d`.
 * A leading `-` is accepted so that callers can say "must be positive" instead of "unparsable".
 */
export function parseDuration(text: unknown): DurationParse {
  if (typeof text !== 'string') return { ok: false, reason: `duration must be a string (${EXAMPLES})` };
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return { ok: false, reason: `duration is empty (${EXAMPLES})` };
  const negative = trimmed.startsWith('-');
  const body = negative ? trimmed.slice(1).trimStart() : trimmed;
  // A fresh sticky regex per call: its lastIndex is the parse cursor.
  const TERM = new RegExp(TERM_SOURCE, 'y');
  let ms = 0;
  while (TERM.lastIndex < body.length) {
    const at = TERM.lastIndex;
    const match = TERM.exec(body);
    if (!match) return { ok: false, reason: `cannot read duration "${text}" at "${body.slice(at)}" (${EXAMPLES})` };
    ms += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    while (body[TERM.lastIndex] === ' ') TERM.lastIndex++;
  }
  if (!Number.isFinite(ms) || ms > Number.MAX_SAFE_INTEGER) return { ok: false, reason: `duration "${text}" is too large` };
  return { ok: true, ms: Math.round(negative ? -ms : ms) };
}

/** Why `text` is not a positive duration, or undefined when it is one (the zod schema and the workflow's own checks share it). */
export function positiveDurationProblem(text: unknown): string | undefined {
  const parsed = parseDuration(text);
  if (!parsed.ok) return parsed.reason;
  return parsed.ms <= 0 ? `duration "${String(text)}" must be positive` : undefined;
}

/** Why `text` is not a duration that may be zero (`0s`: not at all), or undefined when it is one. */
export function nonNegativeDurationProblem(text: unknown): string | undefined {
  const parsed = parseDuration(text);
  if (!parsed.ok) return parsed.reason;
  return parsed.ms < 0 ? `duration "${String(text)}" must not be negative` : undefined;
}

/** Parses a duration that configuration requires to be positive; throws a message naming the field. */
export function requirePositiveDuration(field: string, text: string): number {
  const problem = positiveDurationProblem(text);
  if (problem !== undefined) throw new Error(`${field}: ${problem}`);
  return durationMs(text);
}

const FORMAT_UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** Renders milliseconds in the same grammar, largest units first (`1d4h`, `3h59m`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  let out = '';
  for (const [unit, size] of FORMAT_UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  if (rest > 0) out += `${rest}ms`;
  return sign + out;
}

/** Milliseconds of a duration that `positiveDuration` accepted. */
export function durationMs(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.ms;
}
