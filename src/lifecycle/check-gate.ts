import { durationMs } from '../config/durations';
import { GATE_DEFAULTS } from '../config/lifecycle-defaults';
import type { GateConfig } from '../config/repository';
import type { CheckRunSeen, ChecksReading, CommitStatusSeen } from '../../workflows/contract';
import { SectionReader } from './input-checks';

// The CI gate's decision (`gate.checks`), pure: given what GitHub's check-runs and
// combined-status APIs answered for the head SHA, is every named check green, has one failed,
// or does the round wait? A name matches a check run of that name or a commit status of that
// context (CI systems use either). GitHub's own branch protection counts `neutral` and
// `skipped` as passing; so does the gate.

export type GateVerdict =
  | { readonly kind: 'passed' }
  /** `waitingFor`: the names not reported yet or still running, in the configured order. */
  | { readonly kind: 'waiting'; readonly waitingFor: readonly string[] }
  /** `failed`: each failed name with GitHub's conclusion or state (`lint (failure)`). */
  | { readonly kind: 'failed'; readonly failed: readonly { readonly name: string; readonly conclusion: string }[] };

type CheckState = { readonly kind: 'passed' } | { readonly kind: 'waiting' } | { readonly kind: 'failed'; readonly conclusion: string };

const PASSING_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);

/** The newest run of a name: re-runs get higher ids (the API lists the latest, but a reading may hold several). */
function newestRun(runs: readonly CheckRunSeen[], name: string): CheckRunSeen | undefined {
  let newest: CheckRunSeen | undefined;
  for (const run of runs) if (run.name === name && (newest === undefined || run.id > newest.id)) newest = run;
  return newest;
}

function runState(run: CheckRunSeen): CheckState {
  if (run.status !== 'completed' || run.conclusion === null) return { kind: 'waiting' };
  return PASSING_CONCLUSIONS.has(run.conclusion) ? { kind: 'passed' } : { kind: 'failed', conclusion: run.conclusion };
}

function statusState(status: CommitStatusSeen): CheckState {
  if (status.state === 'pending') return { kind: 'waiting' };
  return status.state === 'success' ? { kind: 'passed' } : { kind: 'failed', conclusion: status.state };
}

/** A name with both a check run and a status: a failure of either fails it, and it passes only when both do. */
function stateOf(reading: ChecksReading, name: string): CheckState {
  const run = newestRun(reading.checkRuns, name);
  const status = reading.statuses.find((s) => s.context === name);
  const states = [run && runState(run), status && statusState(status)].filter((s): s is CheckState => s !== undefined);
  if (states.length === 0) return { kind: 'waiting' };
  return states.find((s) => s.kind === 'failed') ?? states.find((s) => s.kind === 'waiting') ?? { kind: 'passed' };
}

/** Failed wins over waiting: one red check is enough to know nothing is deployed for this head. */
export function gateVerdict(names: readonly string[], reading: ChecksReading): GateVerdict {
  const failed: { name: string; conclusion: string }[] = [];
  const waitingFor: string[] = [];
  for (const name of names) {
    const state = stateOf(reading, name);
    if (state.kind === 'failed') failed.push({ name, conclusion: state.conclusion });
    else if (state.kind === 'waiting') waitingFor.push(name);
  }
  if (failed.length > 0) return { kind: 'failed', failed };
  return waitingFor.length > 0 ? { kind: 'waiting', waitingFor } : { kind: 'passed' };
}

/** What the PR shows while the round waits, and why a round ended without deploying. */
export function describeGateVerdict(verdict: Exclude<GateVerdict, { kind: 'passed' }>): string {
  if (verdict.kind === 'waiting') return `waiting for ${verdict.waitingFor.join(', ')}`;
  return `check ${verdict.failed.map((f) => `${f.name} (${f.conclusion})`).join(', ')} failed: nothing deployed for this commit; push a fix or re-run the check, then /preview redeploy`;
}

/** The gate as the workflow uses it: names, and the durations in ms. */
export interface ResolvedGate {
  readonly checks: readonly string[];
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
}

const GATE_KEYS: readonly (keyof GateConfig)[] = ['checks', 'requiredChecks', 'timeout', 'pollInterval'];

/**
 * The workflow's own check of its input's `gate` (no zod in the bundle), read like `ttl` and
 * `options` (SectionReader): the same rules as `gateSchema`, with its defaults. Throws every
 * problem in one message, each naming its field.
 */
export function resolveGate(gate: Partial<GateConfig>): ResolvedGate {
  const read = new SectionReader(gate, 'gate.', GATE_KEYS);
  const checks = gate.checks;
  const usable = Array.isArray(checks) && checks.length > 0 && checks.every((c) => typeof c === 'string' && c.trim() !== '');
  if (!usable) read.problems.push('gate.checks: list at least one check name');
  const timeout = read.duration('timeout', GATE_DEFAULTS.timeout);
  const pollInterval = read.duration('pollInterval', GATE_DEFAULTS.pollInterval);
  read.check();
  return { checks: (checks ?? []).map((c) => c.trim()), timeoutMs: durationMs(timeout), pollIntervalMs: durationMs(pollInterval) };
}
