import type { TtlPolicy } from '../config';
import { requirePositiveDuration } from './duration';

/** The repository's TTL policy in milliseconds, checked once so the workflow never reparses. */
export interface ResolvedTtlPolicy {
  readonly defaultMs: number;
  readonly extendedMs: number;
  readonly extendedLabel: string;
  readonly maxMs: number;
}

/** Seed 004: 4 h idle, 24 h with the do-not-expire label, 7 d absolute. */
export const DEFAULT_TTL_POLICY: TtlPolicy = { default: '4h', extended: '24h', extendedLabel: 'preview/do-not-expire', max: '7d' };

export function resolveTtlPolicy(policy: TtlPolicy = DEFAULT_TTL_POLICY): ResolvedTtlPolicy {
  const resolved = {
    defaultMs: requirePositiveDuration('ttl.default', policy.default),
    extendedMs: requirePositiveDuration('ttl.extended', policy.extended),
    extendedLabel: policy.extendedLabel,
    maxMs: requirePositiveDuration('ttl.max', policy.max),
  };
  if (resolved.defaultMs > resolved.maxMs) throw new Error(`ttl.default (${policy.default}) is longer than ttl.max (${policy.max})`);
  if (resolved.extendedMs > resolved.maxMs) throw new Error(`ttl.extended (${policy.extended}) is longer than ttl.max (${policy.max})`);
  return resolved;
}
