import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { screenPreviewDatabase, type PreviewDatabaseEntry } from '../../src/database';
import { isOwnerWorkflowId, type OwnerEvidence } from '../../src/janitor';
import {
  FailureType,
  type DatabaseScan,
  type DropOrphanDatabaseInput,
  type OrphanDatabase,
  type OrphanDatabaseDrop,
  type ScanForOrphansInput,
  type SkippedDatabase,
} from '../../workflows/contract';
import { dropDatabase, listPreviewDatabases, readPreviewDatabase, type DatabaseContext } from '../database';
import { requireTemporalClient, type JanitorContext } from './janitor-context';
import { confirmLeftovers, confirmNamespaceAndOwnerGone } from './orphan-confirmation';
import { freshEvidence } from './owner-lookup';

// The janitor's second pass: preview databases (role and database of one name) on the shared
// server that nothing owns any more. The rule is the namespaces' rule: drop only on proof. The
// role's ownership marker (which the preview's own code cannot rewrite) names the namespace and
// workflow; the workflow must be positively gone (visibility and describe, any error is a skip)
// and the namespace too (while it exists, its lifecycle or the namespace janitor comes first,
// and a reopened PR's new run would be provisioning into it). Everything is checked again right
// before the drop, and dropDatabase itself re-checks the marker under the name's lock.

const NOTEWORTHY = new Set(['owner-unconfirmed', 'owner-ambiguous', 'unmarked', 'mismatched', 'foreign-owner', 'namespace-unconfirmed']);

function requireDatabases(ctx: JanitorContext): DatabaseContext {
  if (ctx.databases) return ctx.databases;
  throw ApplicationFailure.nonRetryable('the worker has no databases section: there are no preview databases to drop', FailureType.DatabaseNotConfigured);
}

type Candidate = Omit<OrphanDatabase, 'detail'>;

/** The checks after the offline screen: the namespace, then the owner. A skip, or the orphan's detail. */
async function confirm(ctx: JanitorContext, c: Candidate, evidence: () => Promise<OwnerEvidence>): Promise<SkippedDatabase | { readonly detail: string }> {
  const confirmed = await confirmNamespaceAndOwnerGone(ctx, c.namespace, c.workflowId, evidence);
  return confirmed.orphan ? { detail: confirmed.detail } : { name: c.name, reason: confirmed.reason, detail: confirmed.detail };
}

function screen(ctx: DatabaseContext, entry: PreviewDatabaseEntry, nowMs: number, retentionMs: number): SkippedDatabase | Candidate {
  const s = screenPreviewDatabase(entry, { naming: ctx.settings, nowMs, retentionMs });
  if (s.kind === 'skip') return { name: s.name, reason: s.reason, detail: s.detail };
  // The id goes into a visibility query; the marker is previewd's, but a shape check costs nothing.
  if (!isOwnerWorkflowId(s.workflowId)) return { name: s.name, reason: 'malformed', detail: `the marker's workflow id ${JSON.stringify(s.workflowId.slice(0, 300))} is not an id previewd makes` };
  return { name: s.name, namespace: s.namespace, workflowId: s.workflowId, ageMs: s.ageMs };
}

const isSkip = (x: SkippedDatabase | object): x is SkippedDatabase => 'reason' in x;

function report(ctx: JanitorContext, skipped: readonly SkippedDatabase[]): void {
  for (const s of skipped) {
    ctx.metrics?.databaseSkipped(s.reason);
    const fields = { database: s.name, reason: s.reason, detail: s.detail };
    if (NOTEWORTHY.has(s.reason)) log.warn('janitor: database skipped', fields);
    else log.debug('janitor: database skipped', fields);
  }
}

export async function scanForOrphanDatabases(ctx: JanitorContext, input: ScanForOrphansInput): Promise<DatabaseScan> {
  if (!ctx.databases) return { configured: false, found: 0, orphans: [], skipped: [] };
  const databases = ctx.databases;
  requireTemporalClient(ctx);
  const { entries } = await listPreviewDatabases(databases);
  const nowMs = ctx.kube.clock.now();
  const screened = entries.map((e) => screen(databases, e, nowMs, input.retentionMs));
  const confirmed = await confirmLeftovers(ctx, screened.filter((s): s is Candidate => !isSkip(s)), (c, reason, detail): SkippedDatabase => ({ name: c.name, reason, detail }));
  const orphans: OrphanDatabase[] = confirmed.orphans;
  const skipped = [...screened.filter(isSkip), ...confirmed.skipped];
  report(ctx, skipped);
  for (const o of orphans) log.info('janitor: orphaned database found', { database: o.name, namespace: o.namespace, workflowId: o.workflowId, ageMs: o.ageMs, detail: o.detail });
  return { configured: true, found: entries.length, orphans, skipped };
}

function kept(ctx: JanitorContext, skip: SkippedDatabase): OrphanDatabaseDrop {
  ctx.metrics?.databaseSkipped(skip.reason);
  log.warn('janitor: orphan database no longer confirmed, kept', { database: skip.name, reason: skip.reason, detail: skip.detail });
  return { outcome: 'skipped', ...skip };
}

/** Everything the scan decided, decided again on fresh reads; then the lifecycle's own drop. */
export async function dropOrphanDatabase(ctx: JanitorContext, input: DropOrphanDatabaseInput): Promise<OrphanDatabaseDrop> {
  const databases = requireDatabases(ctx);
  const { orphan } = input;
  const entry = await readPreviewDatabase(databases, orphan.name);
  if (!entry) return { outcome: 'gone', name: orphan.name };
  const now = screen(databases, entry, ctx.kube.clock.now(), input.retentionMs);
  if (isSkip(now)) return kept(ctx, now);
  if (now.namespace !== orphan.namespace || now.workflowId !== orphan.workflowId) {
    return kept(ctx, { name: orphan.name, reason: 'changed', detail: `marker now names ${now.namespace} / ${now.workflowId}, scanned ${orphan.namespace} / ${orphan.workflowId}` });
  }
  const confirmed = await confirm(ctx, now, () => freshEvidence(requireTemporalClient(ctx), ctx.lifecycleWorkflowType, orphan.workflowId));
  if (isSkip(confirmed)) return kept(ctx, confirmed);
  const result = await dropDatabase(databases, { namespace: orphan.namespace, workflowId: orphan.workflowId });
  if (!result.databaseDropped && !result.roleDropped) return { outcome: 'gone', name: orphan.name };
  ctx.metrics?.databaseDropped();
  log.info('janitor: orphaned database dropped', { database: orphan.name, namespace: orphan.namespace, workflowId: orphan.workflowId, terminatedSessions: result.terminatedSessions });
  return { outcome: 'dropped', name: orphan.name, terminatedSessions: result.terminatedSessions };
}
