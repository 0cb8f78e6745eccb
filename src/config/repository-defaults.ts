import { z } from 'zod';
import { triggerPolicySchema, ttlPolicySchema } from './repository-config';

// Operator-wide TTL and trigger policy. A repository that omits a key of `ttl` or `trigger`
// inherits it from here; keys a repository sets win. Without this section the built-in
// defaults apply (seed 004: 4 h / 24 h / 7 d; label mode with `preview`, no drafts, no forks).

export const repositoryDefaultsSchema = z
  .object({
    ttl: ttlPolicySchema.prefault({}),
    trigger: triggerPolicySchema.prefault({}),
  })
  .strict();

export type RepositoryDefaults = z.infer<typeof repositoryDefaultsSchema>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Fills each raw repository's `ttl` and `trigger` from the raw defaults, before validation, so
 * that a mistake in either still fails with the path of the field where it was written.
 */
export function inheritRepositoryDefaults(raw: unknown): unknown {
  if (!isRecord(raw) || !Array.isArray(raw.repositories)) return raw;
  const defaults = isRecord(raw.defaults) ? raw.defaults : {};
  const inherit = (section: 'ttl' | 'trigger', repo: Record<string, unknown>) => {
    const base = defaults[section];
    const own = repo[section];
    if (!isRecord(base)) return own;
    return isRecord(own) ? { ...base, ...own } : own === undefined ? { ...base } : own;
  };
  const repositories = raw.repositories.map((repo: unknown) => {
    if (!isRecord(repo)) return repo;
    const ttl = inherit('ttl', repo);
    const trigger = inherit('trigger', repo);
    return { ...repo, ...(ttl !== undefined && { ttl }), ...(trigger !== undefined && { trigger }) };
  });
  return { ...raw, repositories };
}
