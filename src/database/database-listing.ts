import type { DatabaseSkipReason as JanitorSkipReason } from '../../workflows/contract';
import { isPreviewDatabaseName, previewDatabaseName, type DatabaseNaming } from './database-names';
import type { DatabaseComment, OwnershipMarker } from './ownership-marker';

// What the janitor sees on the shared server, and the first, offline half of its decision: an
// entry becomes a candidate only when previewd's own marker says who owns it and everything
// else agrees with that marker. The second half (is the owning workflow positively gone?) is
// the janitor's usual owner verdict; any doubt here or there means "skip", never "drop".

/** One name under the prefix: the role and/or the database of that name. */
export interface PreviewDatabaseEntry {
  readonly name: string;
  /** Present when the role exists; `marker` is its ownership comment when that parses. */
  readonly role?: { readonly marker?: OwnershipMarker };
  /** Present when the database exists. Its comment is informational (its owner can rewrite it). */
  readonly database?: { readonly owner: string; readonly comment?: DatabaseComment };
}

/** The skip reasons decided offline, from the listing alone (the janitor adds the owner's and the namespace's). */
export type DatabaseSkipReason = Extract<JanitorSkipReason, 'malformed' | 'unmarked' | 'mismatched' | 'foreign-owner' | 'too-young'>;

export type DatabaseScreen =
  | { readonly kind: 'candidate'; readonly name: string; readonly namespace: string; readonly workflowId: string; readonly ageMs: number }
  | { readonly kind: 'skip'; readonly name: string; readonly reason: DatabaseSkipReason; readonly detail: string };

export interface DatabaseScreenOptions {
  readonly naming: DatabaseNaming;
  readonly nowMs: number;
  /** Younger entries are skipped: a provisioning may be under way. */
  readonly retentionMs: number;
}

function derivesTo(naming: DatabaseNaming, namespace: string): string | undefined {
  try {
    return previewDatabaseName(naming, namespace);
  } catch {
    return undefined;
  }
}

export function screenPreviewDatabase(entry: PreviewDatabaseEntry, opts: DatabaseScreenOptions): DatabaseScreen {
  const { name } = entry;
  const skip = (reason: DatabaseSkipReason, detail: string): DatabaseScreen => ({ kind: 'skip', name, reason, detail });
  if (!isPreviewDatabaseName(opts.naming.prefix, name)) return skip('malformed', 'not a name previewd derives');
  if (!entry.role) return skip('unmarked', 'a database without its role: previewd always creates the role first');
  const marker = entry.role.marker;
  if (!marker) return skip('unmarked', 'the role carries no previewd ownership marker');
  if (derivesTo(opts.naming, marker.namespace) !== name) return skip('mismatched', `the marker names namespace ${marker.namespace}, which does not derive ${name}`);
  if (entry.database && entry.database.owner !== name) return skip('foreign-owner', `the database is owned by ${entry.database.owner}`);
  const ageMs = opts.nowMs - Date.parse(marker.createdAt);
  if (ageMs < opts.retentionMs) return skip('too-young', `created ${Math.round(ageMs / 1000)} s ago`);
  return { kind: 'candidate', name, namespace: marker.namespace, workflowId: marker.workflowId, ageMs };
}
