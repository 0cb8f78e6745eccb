import { resolve } from 'node:path';

// The benchmark's knobs, read once from the environment (the bench is a script; its settings
// are printed into the report so a figure always comes with what produced it).

export const SECTION_IDS = ['ingress', 'time-skipping', 'replay', 'sandbox', 'create-delete', 'create-delete-timers', 'scale'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface BenchSettings {
  /** Concurrent open previews of the scale measurement (PREVIEWD_BENCH_PREVIEWS, default 1000). */
  readonly previews: number;
  /** Idle TTL the scale previews get once marked ready for review (PREVIEWD_BENCH_TTL). */
  readonly ttl: string;
  /** How many of the scale previews expire (PREVIEWD_BENCH_EXPIRING, default 200). */
  readonly expiring: number;
  /** Seconds of worker sampling at rest (PREVIEWD_BENCH_REST_SECONDS). */
  readonly restSeconds: number;
  readonly latencySamples: number;
  readonly ingressDeliveries: number;
  readonly ingressConcurrency: number;
  readonly replayRounds: number;
  /** Previews cached by the sandbox measurement (PREVIEWD_BENCH_SANDBOX_PREVIEWS, default 50). */
  readonly sandboxPreviews: number;
  /** PREVIEWD_BENCH_ONLY=scale,replay runs a subset (development); the default runs everything. */
  readonly only: readonly SectionId[];
  /** PREVIEWD_BENCH_HEAP_SNAPSHOTS=1: the scale measurement writes V8 heap snapshots of its worker into the logs. */
  readonly heapSnapshots: boolean;
  /** Where benchmarks.md and benchmarks.json go (PREVIEWD_BENCH_OUT, default docs/). */
  readonly outDir: string;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name}=${text}: expected a positive integer`);
  return n;
}

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const only = (env.PREVIEWD_BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only.filter((s) => !(SECTION_IDS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`PREVIEWD_BENCH_ONLY: unknown ${unknown.join(', ')} (known: ${SECTION_IDS.join(', ')})`);
  return {
    previews: positiveInt(env, 'PREVIEWD_BENCH_PREVIEWS', 1000),
    ttl: env.PREVIEWD_BENCH_TTL || '60s',
    expiring: positiveInt(env, 'PREVIEWD_BENCH_EXPIRING', 200),
    restSeconds: positiveInt(env, 'PREVIEWD_BENCH_REST_SECONDS', 30),
    latencySamples: positiveInt(env, 'PREVIEWD_BENCH_LATENCY_SAMPLES', 30),
    ingressDeliveries: positiveInt(env, 'PREVIEWD_BENCH_DELIVERIES', 500),
    ingressConcurrency: positiveInt(env, 'PREVIEWD_BENCH_CONCURRENCY', 16),
    replayRounds: positiveInt(env, 'PREVIEWD_BENCH_REPLAY_ROUNDS', 3),
    sandboxPreviews: positiveInt(env, 'PREVIEWD_BENCH_SANDBOX_PREVIEWS', 50),
    only: only.length > 0 ? (only as SectionId[]) : SECTION_IDS,
    heapSnapshots: env.PREVIEWD_BENCH_HEAP_SNAPSHOTS === '1',
    outDir: resolve(env.PREVIEWD_BENCH_OUT ?? resolve(__dirname, '../../docs')),
  };
}

/** The command that reproduces this run, with the knobs that differ from the defaults. */
export function benchCommand(env: NodeJS.ProcessEnv = process.env): string {
  const set = Object.entries(env)
    .filter(([k, v]) => k.startsWith('PREVIEWD_BENCH_') && k !== 'PREVIEWD_BENCH_OUT' && v)
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return [...set, 'npm run bench'].join(' ');
}
