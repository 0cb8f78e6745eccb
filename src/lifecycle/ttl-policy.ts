import { durationMs } from '../config/durations';
import { ttlPolicySchema, type TtlPolicy, type TtlPolicyInput } from '../config/repository';

/** The repository's TTL policy in milliseconds, checked once so the workflow never reparses. */
export interface ResolvedTtlPolicy {
  readonly defaultMs: number;
  readonly extendedMs: number;
  readonly extendedLabel: string;
  readonly maxMs: number;
}

/** The schema's defaults (seed 004: 4 h idle, 24 h with the do-not-expire label, 7 d absolute). */
export const DEFAULT_TTL_POLICY: TtlPolicy = Object.freeze(ttlPolicySchema.parse({}));

/**
 * Checks a policy with the config's own schema (the workflow must not depend on every caller
 * having validated it) and converts it; an unusable value throws a message naming `ttl.<field>`.
 */
export function resolveTtlPolicy(policy: TtlPolicyInput = {}): ResolvedTtlPolicy {
  const parsed = ttlPolicySchema.safeParse(policy);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `ttl.${i.path.join('.')}: ${i.message}`).join('; '));
  const ttl = parsed.data;
  return { defaultMs: durationMs(ttl.default), extendedMs: durationMs(ttl.extended), extendedLabel: ttl.extendedLabel, maxMs: durationMs(ttl.max) };
}
