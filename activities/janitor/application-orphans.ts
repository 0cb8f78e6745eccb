import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, type KubeObject } from '../../src/kubernetes';
import { screenApplication, type OwnerEvidence } from '../../src/janitor';
import {
  FailureType,
  type ApplicationScan,
  type DeleteOrphanApplicationInput,
  type OrphanApplication,
  type OrphanApplicationDeletion,
  type ScanForOrphansInput,
  type SkippedApplication,
} from '../../workflows/contract';
import { pollUntil, withApiFailures } from '../kubernetes';
import { requireTemporalClient, type JanitorContext } from './janitor-context';
import { freshEvidence } from './owner-lookup';
import { confirmLeftovers, confirmNamespaceAndOwnerGone } from './orphan-confirmation';

// The janitor's pass over Argo CD Applications: a deploy attempt that outlived its timeout can
// apply an Application after the teardown listed them, and once the namespace is gone nothing
// of the lifecycle looks at it again. The rule is the namespaces': delete only on proof. The
// Application must be exactly what previewd makes (screenApplication), its preview namespace
// gone, and its owning workflow positively not running; everything is checked again on fresh
// reads right before the deletion, which then waits for Argo CD's finalizer like a teardown.

const NOTEWORTHY = new Set(['owner-unconfirmed', 'owner-ambiguous', 'malformed', 'no-owner', 'namespace-unconfirmed']);

type Candidate = Omit<OrphanApplication, 'detail'>;

const ref = (name: string, ctx: JanitorContext) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: ctx.kube.settings.argocd.namespace, name });

function screen(ctx: JanitorContext, app: KubeObject, retentionMs: number): SkippedApplication | Candidate {
  const s = screenApplication(app, { settings: ctx.kube.settings, nowMs: ctx.kube.clock.now(), retentionMs });
  if (s.kind === 'skip') return { name: app.metadata.name, reason: s.reason, detail: s.detail };
  return { name: app.metadata.name, uid: app.metadata.uid ?? '', namespace: s.namespace, workflowId: s.workflowId, ageMs: s.ageMs };
}

const isSkip = (x: SkippedApplication | object): x is SkippedApplication => 'reason' in x;

async function confirm(ctx: JanitorContext, c: Candidate, evidence: () => Promise<OwnerEvidence>): Promise<SkippedApplication | { readonly detail: string }> {
  const confirmed = await confirmNamespaceAndOwnerGone(ctx, c.namespace, c.workflowId, evidence);
  return confirmed.orphan ? { detail: confirmed.detail } : { name: c.name, reason: confirmed.reason, detail: confirmed.detail };
}

function report(ctx: JanitorContext, skipped: readonly SkippedApplication[]): void {
  for (const s of skipped) {
    ctx.metrics?.applicationSkipped(s.reason);
    const fields = { application: s.name, reason: s.reason, detail: s.detail };
    if (NOTEWORTHY.has(s.reason)) log.warn('janitor: application skipped', fields);
    else log.debug('janitor: application skipped', fields);
  }
}

export async function scanForOrphanApplications(ctx: JanitorContext, input: ScanForOrphansInput): Promise<ApplicationScan> {
  requireTemporalClient(ctx);
  const apps = await withApiFailures(() =>
    ctx.kube.api.list('argoproj.io/v1alpha1', 'Application', { namespace: ctx.kube.settings.argocd.namespace, labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}` }),
  );
  // Another installation's Applications (another prefix) are not even counted as skips.
  const mine = apps.map((app) => screen(ctx, app, input.retentionMs)).filter((s) => !(isSkip(s) && s.reason === 'foreign'));
  const confirmed = await confirmLeftovers(ctx, mine.filter((s): s is Candidate => !isSkip(s)), (c, reason, detail): SkippedApplication => ({ name: c.name, reason, detail }));
  const orphans: OrphanApplication[] = confirmed.orphans;
  const skipped = [...mine.filter(isSkip), ...confirmed.skipped];
  report(ctx, skipped);
  for (const o of orphans) log.info('janitor: orphaned application found', { application: o.name, namespace: o.namespace, workflowId: o.workflowId, ageMs: o.ageMs, detail: o.detail });
  return { found: mine.length, orphans, skipped };
}

function kept(ctx: JanitorContext, skip: SkippedApplication): OrphanApplicationDeletion {
  ctx.metrics?.applicationSkipped(skip.reason);
  log.warn('janitor: orphan application no longer confirmed, kept', { application: skip.name, reason: skip.reason, detail: skip.detail });
  return { outcome: 'skipped', ...skip };
}

/** Everything the scan decided, decided again on fresh reads, before the deletion. */
async function recheck(ctx: JanitorContext, input: DeleteOrphanApplicationInput): Promise<'gone' | 'orphan' | SkippedApplication> {
  const { orphan } = input;
  const app = await withApiFailures(() => ctx.kube.api.get(ref(orphan.name, ctx)));
  if (!app) return 'gone';
  const changed = (detail: string): SkippedApplication => ({ name: orphan.name, reason: 'changed', detail });
  if (app.metadata.uid !== orphan.uid) return changed(`recreated since the scan (uid ${app.metadata.uid ?? '?'}, scanned ${orphan.uid})`);
  const now = screen(ctx, app, input.retentionMs);
  if (isSkip(now)) return now;
  if (now.namespace !== orphan.namespace || now.workflowId !== orphan.workflowId) return changed(`now ${now.namespace} / ${now.workflowId}, scanned ${orphan.namespace} / ${orphan.workflowId}`);
  const confirmed = await confirm(ctx, now, () => freshEvidence(requireTemporalClient(ctx), ctx.lifecycleWorkflowType, orphan.workflowId));
  return isSkip(confirmed) ? confirmed : 'orphan';
}

/** Deletes (foreground: Argo CD's finalizer prunes first) and waits until the Application is gone. */
async function deleteAndWait(ctx: JanitorContext, app: { apiVersion: string; kind: string; namespace: string; name: string }): Promise<void> {
  const { applicationDeletionMs, pollIntervalMs } = ctx.kube.settings.timeouts;
  await withApiFailures(() => ctx.kube.api.delete(app, 'Foreground'));
  const step = await pollUntil(ctx.kube.clock, { intervalMs: pollIntervalMs, timeoutMs: applicationDeletionMs }, async () => {
    const left = await withApiFailures(() => ctx.kube.api.get(app));
    return left ? { done: false, progress: { waitingFor: app.name, finalizers: left.metadata.finalizers ?? [] } } : { done: true, value: undefined };
  });
  if (!step.done) {
    throw ApplicationFailure.nonRetryable(
      `Application ${app.namespace}/${app.name} still present ${applicationDeletionMs} ms after deletion: Argo CD has not finished pruning (is its application controller running?)`,
      FailureType.TeardownStuck,
    );
  }
}

export async function deleteOrphanApplication(ctx: JanitorContext, input: DeleteOrphanApplicationInput): Promise<OrphanApplicationDeletion> {
  const { orphan } = input;
  const before = await recheck(ctx, input);
  if (before === 'gone') return { outcome: 'gone', name: orphan.name };
  if (before !== 'orphan') return kept(ctx, before);
  await deleteAndWait(ctx, ref(orphan.name, ctx));
  ctx.metrics?.applicationDeleted();
  log.info('janitor: orphaned application deleted', { application: orphan.name, namespace: orphan.namespace, workflowId: orphan.workflowId });
  return { outcome: 'deleted', name: orphan.name };
}
