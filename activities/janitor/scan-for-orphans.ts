import { heartbeat, log } from '@temporalio/activity';
import { hasPreviewPrefix, MANAGED_BY_LABEL, MANAGED_BY_VALUE, type KubeObject } from '../../src/kubernetes';
import type { OrphanCandidate, OrphanScan, ScanForOrphansInput, SkippedNamespace } from '../../workflows/contract';
import { ownerVerdict, screenNamespace } from '../../src/janitor';
import { withApiFailures } from '../kubernetes';
import { requireTemporalClient, type JanitorContext } from './janitor-context';
import { evidenceFromList, runningOwners } from './owner-lookup';

// Reasons that need a person: everything else is the janitor working as intended.
const NOTEWORTHY = new Set(['owner-unconfirmed', 'owner-ambiguous', 'malformed', 'no-owner', 'foreign']);

/** Namespaces of this installation: the managed-by label selects, the prefix narrows (another install may share the cluster). */
async function previewdNamespaces(ctx: JanitorContext): Promise<KubeObject[]> {
  const labelled = await withApiFailures(() => ctx.kube.api.list('v1', 'Namespace', { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}` }));
  return labelled.filter((ns) => hasPreviewPrefix(ctx.kube.settings.namespacePrefix, ns.metadata.name));
}

function report(ctx: JanitorContext, skipped: readonly SkippedNamespace[]): void {
  for (const s of skipped) {
    ctx.metrics?.skipped(s.reason);
    const fields = { namespace: s.namespace, reason: s.reason, detail: s.detail };
    if (NOTEWORTHY.has(s.reason)) log.warn('janitor: namespace skipped', fields);
    else log.debug('janitor: namespace skipped', fields);
  }
}

/**
 * Screens every namespace, then asks Temporal about the owners of those that pass: one
 * visibility list of running lifecycle workflows, and a describe() of each owner not in it.
 */
export async function scanForOrphans(ctx: JanitorContext, input: ScanForOrphansInput): Promise<OrphanScan> {
  const client = requireTemporalClient(ctx);
  const namespaces = await previewdNamespaces(ctx);
  const nowMs = ctx.kube.clock.now();
  const skipped: SkippedNamespace[] = [];
  const candidates: { ns: KubeObject; workflowId: string; preview: OrphanCandidate['preview']; ageMs: number }[] = [];
  for (const ns of namespaces) {
    const screen = screenNamespace(ns, { settings: ctx.kube.settings, nowMs, retentionMs: input.retentionMs });
    if (screen.kind === 'skip') skipped.push({ namespace: ns.metadata.name, reason: screen.reason, detail: screen.detail });
    else candidates.push({ ns, ...screen });
  }
  const orphans: OrphanCandidate[] = [];
  if (candidates.length > 0) {
    const running = await runningOwners(client, ctx.lifecycleWorkflowType);
    for (const c of candidates) {
      heartbeat(c.ns.metadata.name);
      const verdict = ownerVerdict(c.workflowId, await evidenceFromList(client, running, c.workflowId));
      const namespace = c.ns.metadata.name;
      if (!verdict.orphan) skipped.push({ namespace, reason: verdict.reason, detail: verdict.detail });
      else orphans.push({ namespace, uid: c.ns.metadata.uid ?? '', workflowId: c.workflowId, preview: c.preview, ageMs: c.ageMs, detail: verdict.detail });
    }
  }
  report(ctx, skipped);
  for (const o of orphans) log.info('janitor: orphaned namespace found', { namespace: o.namespace, workflowId: o.workflowId, ageMs: o.ageMs, detail: o.detail });
  return { found: namespaces.length, orphans, skipped };
}
