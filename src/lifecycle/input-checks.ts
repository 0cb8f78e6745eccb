import { nonNegativeDurationProblem, positiveDurationProblem } from '../config/durations';

// Hand-written checks for the two config sections that travel in the workflow input (`ttl` and
// `options`). The processes validate them with the zod schemas of src/config at start-up; the
// workflow checks them again (any client can start a run) with these instead, because zod in
// the workflow bundle is instantiated again in every run's sandbox. Each check mirrors its zod
// counterpart (test/unit/lifecycle: the two agree on generated inputs); the defaults are the
// same constants (src/config/lifecycle-defaults.ts).

/** One section of the input as written, read key by key; every problem names its field. */
export class SectionReader {
  readonly problems: string[] = [];
  private readonly fields: Readonly<Record<string, unknown>>;

  /** `label` prefixes each field (`ttl.` gives `ttl.max`, '' gives `deliveryMemory`). */
  constructor(
    value: unknown,
    private readonly label: string,
    known: readonly string[],
  ) {
    const isRecord = typeof value === 'object' && value !== null && !Array.isArray(value);
    const section = label.replace(/\.$/, '') || 'options';
    this.fields = isRecord ? (value as Record<string, unknown>) : {};
    if (value !== undefined && !isRecord) this.problems.push(`${section}: must be an object`);
    const unknown = Object.keys(this.fields).filter((key) => !known.includes(key));
    if (unknown.length > 0) this.problems.push(`${section}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`);
  }

  /** A positive duration (text), or `fallback` when the key is absent. */
  duration(key: string, fallback: string): string {
    return this.checked(key, fallback, positiveDurationProblem);
  }

  /** A duration that may be zero (`0s`), or `fallback` when the key is absent. */
  durationOrZero(key: string, fallback: string): string {
    return this.checked(key, fallback, nonNegativeDurationProblem);
  }

  private checked(key: string, fallback: string, problemOf: (value: unknown) => string | undefined): string {
    const value = this.fields[key];
    if (value === undefined) return fallback;
    const problem = problemOf(value);
    if (problem !== undefined) this.problems.push(`${this.label}${key}: ${problem}`);
    return typeof value === 'string' ? value : fallback;
  }

  /** A non-empty string, or `fallback` when the key is absent. */
  text(key: string, fallback: string): string {
    const value = this.fields[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value === '') this.problems.push(`${this.label}${key}: must be a non-empty string`);
    return typeof value === 'string' ? value : fallback;
  }

  /** A whole number of at least 1, or `fallback` when the key is absent. */
  count(key: string, fallback: number): number {
    const value = this.fields[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) this.problems.push(`${this.label}${key}: must be a whole number of at least 1`);
    return typeof value === 'number' ? value : fallback;
  }

  /** Throws every problem found so far, in one message. */
  check(): void {
    if (this.problems.length > 0) throw new Error(this.problems.join('; '));
  }
}
