import { z } from 'zod';
import { RULES, type Rule } from './invariants';

// How much the race suite runs, read once from the environment. The defaults fit `npm test`
// (CI runs jest twice, on a loaded machine): a fixed small number of cases that always runs,
// bounded in time only by jest's timeout. More cases run within a time budget (past it no new
// case starts; not a failure). A failure prints its seed and path, and setting them reproduces
// (and re-shrinks) that case:
//   PREVIEWD_RACE_SEED=… PREVIEWD_RACE_PATH=… npx jest test/workflows/races/lifecycle-races.test.ts --selectProjects integration
// More cases: PREVIEWD_RACE_RUNS=1000 (and a larger PREVIEWD_RACE_MINUTES).
// One rule at a time while fixing another: PREVIEWD_RACE_RULES=outcome,once
// Every failure of a seed, unshrunk, grouped: PREVIEWD_RACE_SURVEY=1

/** Cases `npm test` always runs: about a minute on a loaded 2-core machine. */
const DEFAULT_FLOOR = 12;

const intFromEnv = (fallback: number) =>
  z
    .string()
    .regex(/^-?\d+$/, 'must be an integer')
    .transform(Number)
    .optional()
    .transform((v) => v ?? fallback);

const schema = z.object({
  PREVIEWD_RACE_SEED: z
    .string()
    .regex(/^-?\d+$/, 'must be an integer')
    .transform(Number)
    .optional(),
  PREVIEWD_RACE_PATH: z.string().min(1).optional(),
  /** Cases in all; the first PREVIEWD_RACE_FLOOR always run, the rest within the time budget. */
  PREVIEWD_RACE_RUNS: intFromEnv(DEFAULT_FLOOR).pipe(z.number().int().min(1)),
  PREVIEWD_RACE_FLOOR: intFromEnv(DEFAULT_FLOOR).pipe(z.number().int().min(0)),
  /** Wall-clock budget for the cases past the floor and the shrinking of a failure; past it the best counterexample so far is reported. */
  PREVIEWD_RACE_MINUTES: intFromEnv(3).pipe(z.number().int().min(1)),
  PREVIEWD_RACE_MAX_MOVES: intFromEnv(8).pipe(z.number().int().min(1)),
  /**
   * `1`: run the cases without stopping at the first failure or shrinking, and list every
   * failing case grouped by what it violated: a survey of all the bugs a seed finds.
   */
  PREVIEWD_RACE_SURVEY: z.enum(['0', '1']).default('0'),
  /** `1`: one line per case (time taken, violations), to see where time goes. */
  PREVIEWD_RACE_VERBOSE: z.enum(['0', '1']).default('0'),
  PREVIEWD_RACE_RULES: z
    .string()
    .optional()
    .transform((text, ctx) => {
      const names = (text ?? RULES.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = names.filter((n) => !(RULES as readonly string[]).includes(n));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown rule(s) ${unknown.join(', ')}; rules: ${RULES.join(', ')}` });
      return new Set(names as Rule[]);
    }),
});

export interface RaceSettings {
  readonly seed: number;
  readonly path?: string;
  readonly runs: number;
  /** Of `runs`, how many run whatever the time budget says. */
  readonly floor: number;
  readonly timeLimitMs: number;
  readonly maxMoves: number;
  readonly rules: ReadonlySet<Rule>;
  readonly verbose: boolean;
  readonly survey: boolean;
}

export function raceSettings(env: NodeJS.ProcessEnv = process.env): RaceSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`race suite settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  return Object.freeze({
    // A fresh seed per run unless one is given: every CI run explores new orders, and prints how to repeat it.
    seed: e.PREVIEWD_RACE_SEED ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0,
    path: e.PREVIEWD_RACE_PATH,
    runs: e.PREVIEWD_RACE_RUNS,
    floor: Math.min(e.PREVIEWD_RACE_FLOOR, e.PREVIEWD_RACE_RUNS),
    timeLimitMs: e.PREVIEWD_RACE_MINUTES * 60_000,
    maxMoves: e.PREVIEWD_RACE_MAX_MOVES,
    rules: e.PREVIEWD_RACE_RULES,
    verbose: e.PREVIEWD_RACE_VERBOSE === '1',
    survey: e.PREVIEWD_RACE_SURVEY === '1',
  });
}
