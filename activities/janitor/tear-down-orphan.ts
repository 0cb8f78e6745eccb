import { log } from '@temporalio/activity';
import type { OrphanTeardown, SkippedNamespace, TearDownOrphanInput } from '../../workflows/contract';
import { ownerVerdict, screenNamespace } from '../../src/janitor';
import { teardown, withApiFailures } from '../kubernetes';
import { requireTemporalClient, type JanitorContext } from './janitor-context';
import { freshEvidence } from './owner-lookup';

// The scan's verdict may be minutes old by the time this runs (or hours, on a retry), and a
// reopened PR starts a workflow with the same id that adopts the same namespace. So the whole
// decision is taken again on fresh reads, before the teardown and once more right before the
// namespace itself is deleted.

/** Thrown by the pre-deletion check to stop the teardown without deleting the namespace. */
class NamespaceKept extends Error {
  constructor(readonly skip: SkippedNamespace) {
    super(`janitor kept ${skip.namespace}: ${skip.reason} (${skip.detail})`);
  }
}

type Recheck = SkippedNamespace | 'gone' | 'orphan';

async function recheck(ctx: JanitorContext, input: TearDownOrphanInput): Promise<Recheck> {
  const { orphan } = input;
  const changed = (detail: string): SkippedNamespace => ({ namespace: orphan.namespace, reason: 'changed', detail });
  const ns = await withApiFailures(() => ctx.kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: orphan.namespace }));
  if (!ns) return 'gone';
  if (ns.metadata.uid !== orphan.uid) return changed(`recreated since the scan (uid ${ns.metadata.uid ?? '?'}, scanned ${orphan.uid})`);
  const screen = screenNamespace(ns, { settings: ctx.kube.settings, nowMs: ctx.kube.clock.now(), retentionMs: input.retentionMs });
  if (screen.kind === 'skip') return { namespace: orphan.namespace, reason: screen.reason, detail: screen.detail };
  if (screen.workflowId !== orphan.workflowId) return changed(`owner annotation now ${screen.workflowId}, scanned ${orphan.workflowId}`);
  const verdict = ownerVerdict(orphan.workflowId, await freshEvidence(requireTemporalClient(ctx), ctx.lifecycleWorkflowType, orphan.workflowId));
  return verdict.orphan ? 'orphan' : { namespace: orphan.namespace, reason: verdict.reason, detail: verdict.detail };
}

function kept(ctx: JanitorContext, skip: SkippedNamespace): OrphanTeardown {
  ctx.metrics?.skipped(skip.reason);
  log.warn('janitor: orphan no longer confirmed, namespace kept', { namespace: skip.namespace, reason: skip.reason, detail: skip.detail });
  return { outcome: 'skipped', ...skip };
}

/** The lifecycle's own teardown (Applications, routes, namespace, each waited out), guarded by the re-checks. */
export async function tearDownOrphan(ctx: JanitorContext, input: TearDownOrphanInput): Promise<OrphanTeardown> {
  const { orphan } = input;
  const before = await recheck(ctx, input);
  if (before === 'gone') return { outcome: 'gone', namespace: orphan.namespace };
  if (before !== 'orphan') return kept(ctx, before);
  try {
    const result = await teardown(ctx.kube, { preview: orphan.preview }, async () => {
      const last = await recheck(ctx, input);
      if (last !== 'orphan' && last !== 'gone') throw new NamespaceKept(last);
    });
    if (!result.namespaceDeleted) return { outcome: 'gone', namespace: orphan.namespace };
    ctx.metrics?.deleted();
    log.info('janitor: orphaned namespace deleted', { namespace: orphan.namespace, workflowId: orphan.workflowId, applications: result.deletedApplications, routes: result.deletedRoutes });
    return { outcome: 'deleted', namespace: orphan.namespace, deletedApplications: result.deletedApplications, deletedRoutes: result.deletedRoutes };
  } catch (err) {
    if (err instanceof NamespaceKept) return kept(ctx, err.skip);
    throw err;
  }
}
