// Every random choice of a chaos run comes from one seeded generator, and the seed is printed,
// so a failing run can be repeated with PREVIEWD_CHAOS_SEED=<seed> (timings still vary: the
// seed fixes what is chosen, the machine decides when things land).

export interface SeededRandom {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: tiny, fast and good enough to spread faults; not for anything secret. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}

/** The seed for one scenario: PREVIEWD_CHAOS_SEED when set (a reproduction), else fresh; always printed. */
export function scenarioRandom(scenario: string): SeededRandom {
  const given = process.env.PREVIEWD_CHAOS_SEED;
  const seed = given !== undefined && /^\d+$/.test(given) ? Number(given) : Math.floor(Math.random() * 2 ** 31);
  process.stdout.write(`chaos ${scenario}: seed ${seed} (repeat with PREVIEWD_CHAOS_SEED=${seed})\n`);
  return seededRandom(seed);
}
