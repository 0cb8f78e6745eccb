import { durationMs } from '../config/durations';
import { TTL_POLICY_DEFAULTS, ttlLongerThanMax } from '../config/lifecycle-defaults';
import type { TtlPolicy, TtlPolicyInput } from '../config/repository';
import { SectionReader } from './input-checks';

/** The repository's TTL policy in milliseconds, checked once so the workflow never reparses. */
export interface ResolvedTtlPolicy {
  readonly defaultMs: number;
  readonly extendedMs: number;
  readonly extendedLabel: string;
  readonly maxMs: number;
}

/** The defaults (seed 004: 4 h idle, 24 h with the do-not-expire label, 7 d absolute); the config schema uses the same constants. */
export const DEFAULT_TTL_POLICY: TtlPolicy = TTL_POLICY_DEFAULTS;

const TTL_KEYS: readonly (keyof TtlPolicy)[] = ['default', 'extended', 'extendedLabel', 'max'];

/**
 * Checks a policy by the config schema's rules (the workflow must not depend on every caller
 * having validated it), fills absent keys from the defaults and converts it; an unusable value
 * throws a message naming `ttl.<field>`.
 */
export function resolveTtlPolicy(policy: TtlPolicyInput = {}): ResolvedTtlPolicy {
  const read = new SectionReader(policy, 'ttl.', TTL_KEYS);
  const ttl: TtlPolicy = {
    default: read.duration('default', TTL_POLICY_DEFAULTS.default),
    extended: read.duration('extended', TTL_POLICY_DEFAULTS.extended),
    extendedLabel: read.text('extendedLabel', TTL_POLICY_DEFAULTS.extendedLabel),
    max: read.duration('max', TTL_POLICY_DEFAULTS.max),
  };
  if (read.problems.length === 0) read.problems.push(...ttlLongerThanMax(ttl).map(({ key, message }) => `ttl.${key}: ${message}`));
  read.check();
  return { defaultMs: durationMs(ttl.default), extendedMs: durationMs(ttl.extended), extendedLabel: ttl.extendedLabel, maxMs: durationMs(ttl.max) };
}
