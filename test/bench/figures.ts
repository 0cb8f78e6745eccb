// What every measurement hands to the report: named figures with units, and where a baseline
// was measured in the same run, the ratio to it (these machines are noisy; ratios travel).

export interface Ratio {
  readonly value: number;
  /** What the figure is divided by, e.g. "raw signal-with-start p99". */
  readonly to: string;
}

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly ratio?: Ratio;
  readonly note?: string;
}

export interface Section {
  readonly id: string;
  readonly title: string;
  /** How it was measured and with which settings, one line each. */
  readonly method: readonly string[];
  readonly figures: readonly Figure[];
}

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN, mean };
}

export function ratio(value: number, baseline: number, to: string): Ratio {
  return { value: value / baseline, to };
}
