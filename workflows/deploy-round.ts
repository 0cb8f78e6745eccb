import { ActivityFailure, isCancellation, patched } from '@temporalio/workflow';
import type { ServiceConfig } from '../src/config/repository';
import { planRollout, selectServices, updateServiceStates, type RolloutStep } from '../src/lifecycle';
import { FailureType } from './contract';
import { describeFailure, lastErrorOf } from './failure-description';
import type { Preview } from './preview';
import { awaitPhaseReady, superseded } from './readiness';
import type { StepActivities } from './step-activities';

// One deploy round brings the preview to one head SHA: provision (first round only), choose
// services, then each rollout phase is applied and must be ready before the next. A newer head
// does not interrupt the activity in flight; the round stops at the next step boundary and the
// main loop starts a round for the newest head, so a burst of pushes costs one extra round.
// Errors end the round as Failed and the preview waits for the next event: only explicit
// events and the TTL tear a preview down.

function expiresAtIso(preview: Preview): string {
  return new Date(preview.expiry.expiresAt).toISOString();
}

async function provision(preview: Preview, acts: StepActivities, headSha: string): Promise<void> {
  preview.setPhase('Provisioning');
  const ns = await acts.ensureNamespace({ preview: preview.ref, headSha, workflowId: preview.state.workflowId, expiresAt: expiresAtIso(preview) });
  preview.state.namespace = ns.namespace;
  preview.changed();
  await acts.applyBaseline({ preview: preview.ref });
  preview.state.provisioned = true;
  preview.recordEvent('provisioned', ns.namespace);
}

/** The chooser is an optimisation: any failure of it deploys the whole apps tier instead. */
async function chooseServices(preview: Preview, acts: StepActivities, headSha: string): Promise<ServiceConfig[]> {
  const config = preview.input.config;
  if (config.scope === 'all') return [...config.services];
  try {
    const chosen = await acts.chooseServices({ preview: preview.ref, headSha, scope: config.scope, services: config.services });
    return selectServices(config.services, chosen.services);
  } catch (err) {
    if (isCancellation(err)) throw err;
    preview.state.lastError = lastErrorOf(err, 'chooseServices');
    preview.recordEvent('choose-fallback', `deploying every service: ${describeFailure(err).message}`);
    return [...config.services];
  }
}

/**
 * Real Argo CD never re-syncs, on its own, a commit whose sync failed; re-applying an unchanged
 * Application changes nothing. A redeploy round therefore asks deployApps for an explicit sync.
 * Behind a patch: histories recorded before this asked for none.
 */
export const REDEPLOY_REQUESTS_SYNC_PATCH = 'redeploy-requests-argocd-sync';

async function applyPhase(preview: Preview, acts: StepActivities, headSha: string, step: RolloutStep, redeploy: boolean): Promise<void> {
  const all = preview.input.config.services;
  const s = preview.state;
  s.services = updateServiceStates(s.services, all, step.services.map((svc) => ({ name: svc.name, state: 'Deploying' as const, message: undefined })));
  preview.changed();
  const requestSync = redeploy && patched(REDEPLOY_REQUESTS_SYNC_PATCH);
  const result = await acts.deployApps({ preview: preview.ref, headSha, phase: step.phase, services: step.services, ...(requestSync ? { requestSync } : {}) });
  const urls = new Map(result.routes.map((r) => [r.service, r.url]));
  const apps = new Map(result.applications.map((a) => [a.service, a.application]));
  s.services = updateServiceStates(
    s.services,
    all,
    step.services.map((svc) => ({ name: svc.name, state: 'Progressing' as const, headSha, application: apps.get(svc.name), url: urls.get(svc.name) })),
  );
  preview.changed();
}

async function updateCost(preview: Preview, acts: StepActivities): Promise<void> {
  try {
    const cost = await acts.computeCost({ preview: preview.ref, expiresAt: expiresAtIso(preview) });
    preview.state.cost = { perHour: cost.perHour, currency: cost.currency, computedAt: new Date().toISOString() };
  } catch (err) {
    if (isCancellation(err)) throw err;
    preview.state.lastError = lastErrorOf(err, 'computeCost');
    preview.recordEvent('cost-unknown', describeFailure(err).message);
  }
}

/** Applies and waits for every rollout phase; false when the round ended early (superseded or degraded). */
async function rollOut(preview: Preview, acts: StepActivities, headSha: string, services: readonly ServiceConfig[], redeploy: boolean): Promise<boolean> {
  const plan = planRollout(services);
  for (const [i, step] of plan.entries()) {
    await applyPhase(preview, acts, headSha, step, redeploy);
    if (i === plan.length - 1) preview.state.deployedHeadSha = headSha;
    if (superseded(preview, headSha)) return false;
    const readiness = await awaitPhaseReady(preview, acts, headSha, step);
    if (readiness.kind === 'superseded') return false;
    if (readiness.kind === 'degraded') {
      await updateCost(preview, acts);
      preview.setPhase('Degraded', readiness.reason);
      return false;
    }
  }
  return true;
}

function onRoundFailure(preview: Preview, err: ActivityFailure, provisionedNow: boolean): void {
  const failure = lastErrorOf(err, 'deploy');
  preview.state.lastError = failure;
  if (failure.type === FailureType.NamespaceNotFound && !provisionedNow) {
    // Someone deleted the namespace by hand: provision again instead of failing.
    preview.state.provisioned = false;
    preview.state.redeployRequested = true;
    preview.recordEvent('namespace-missing', failure.message);
    preview.changed();
    return;
  }
  preview.setPhase('Failed', `${failure.step} failed: ${failure.message}`);
}

export async function deployRound(preview: Preview, acts: StepActivities): Promise<void> {
  const headSha = preview.state.desiredHeadSha;
  // Same head as the last round and asked for again: `/preview redeploy` (or a re-provision).
  const redeploy = preview.state.redeployRequested && preview.state.attemptedHeadSha === headSha;
  preview.state.attemptedHeadSha = headSha;
  preview.state.redeployRequested = false;
  preview.recordEvent('deploy', headSha);
  let provisionedNow = false;
  try {
    if (!preview.state.provisioned) {
      await provision(preview, acts, headSha);
      provisionedNow = true;
    }
    preview.setPhase('Deploying');
    const services = await chooseServices(preview, acts, headSha);
    if (superseded(preview, headSha)) return;
    if (!(await rollOut(preview, acts, headSha, services, redeploy))) return;
    await updateCost(preview, acts);
    preview.setPhase('Ready');
  } catch (err) {
    if (err instanceof ActivityFailure && !isCancellation(err)) return onRoundFailure(preview, err, provisionedNow);
    throw err;
  }
}
