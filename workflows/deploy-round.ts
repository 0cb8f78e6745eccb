import { ActivityFailure, isCancellation } from '@temporalio/workflow';
import type { ServiceConfig } from '../src/config';
import { expiryView, NAMESPACE_MISSING_FAILURE_TYPE, planRollout, selectServices, updateServiceStates, type RolloutStep } from '../src/lifecycle';
import { describeFailure, lastErrorOf } from './activity-failure';
import { changed, recordEvent, setPhase, type Runtime } from './lifecycle-runtime';
import { awaitPhaseReady, superseded } from './readiness';
import type { StepActivities } from './step-activities';

// One deploy round brings the preview to one head SHA: provision (first round only), choose
// services, then each rollout phase is applied and must be ready before the next. A newer head
// does not interrupt the activity in flight; the round stops at the next step boundary and the
// main loop starts a round for the newest head, so a burst of pushes costs one extra round.
// Errors end the round as Failed and the preview waits for the next event: only explicit
// events and the TTL tear a preview down.

function expiresAtIso(rt: Runtime): string {
  return new Date(expiryView(rt.state.expiry, rt.ttl, rt.state.labels).expiresAt).toISOString();
}

async function provision(rt: Runtime, acts: StepActivities, headSha: string): Promise<void> {
  setPhase(rt, 'Provisioning');
  const ns = await acts.ensureNamespace({ preview: rt.preview, headSha, workflowId: rt.state.workflowId, expiresAt: expiresAtIso(rt) });
  rt.state.namespace = ns.namespace;
  changed(rt);
  await acts.applyBaseline({ preview: rt.preview });
  rt.state.provisioned = true;
  recordEvent(rt, 'provisioned', ns.namespace);
}

/** The chooser is an optimisation: any failure of it deploys the whole apps tier instead. */
async function chooseServices(rt: Runtime, acts: StepActivities, headSha: string): Promise<ServiceConfig[]> {
  const config = rt.input.config;
  if (config.scope === 'all') return [...config.services];
  try {
    const chosen = await acts.chooseServices({ preview: rt.preview, headSha, scope: config.scope, services: config.services });
    return selectServices(config.services, chosen.services);
  } catch (err) {
    if (isCancellation(err)) throw err;
    rt.state.lastError = lastErrorOf(err, 'chooseServices');
    recordEvent(rt, 'choose-fallback', `deploying every service: ${describeFailure(err).message}`);
    return [...config.services];
  }
}

async function applyPhase(rt: Runtime, acts: StepActivities, headSha: string, step: RolloutStep): Promise<void> {
  const all = rt.input.config.services;
  rt.state.services = updateServiceStates(rt.state.services, all, step.services.map((s) => ({ name: s.name, state: 'Deploying' as const, message: undefined })));
  changed(rt);
  const result = await acts.deployApps({ preview: rt.preview, headSha, phase: step.phase, services: step.services });
  const urls = new Map(result.routes.map((r) => [r.service, r.url]));
  const apps = new Map(result.applications.map((a) => [a.service, a.application]));
  rt.state.services = updateServiceStates(
    rt.state.services,
    all,
    step.services.map((s) => ({ name: s.name, state: 'Progressing' as const, headSha, application: apps.get(s.name), url: urls.get(s.name) })),
  );
  changed(rt);
}

async function updateCost(rt: Runtime, acts: StepActivities): Promise<void> {
  try {
    const cost = await acts.computeCost({ preview: rt.preview, expiresAt: expiresAtIso(rt) });
    rt.state.cost = { perHour: cost.perHour, currency: cost.currency, computedAt: new Date().toISOString() };
  } catch (err) {
    if (isCancellation(err)) throw err;
    rt.state.lastError = lastErrorOf(err, 'computeCost');
    recordEvent(rt, 'cost-unknown', describeFailure(err).message);
  }
}

/** Applies and waits for every rollout phase; false when the round ended early (superseded or degraded). */
async function rollOut(rt: Runtime, acts: StepActivities, headSha: string, services: readonly ServiceConfig[]): Promise<boolean> {
  const plan = planRollout(services);
  for (const [i, step] of plan.entries()) {
    await applyPhase(rt, acts, headSha, step);
    if (i === plan.length - 1) rt.state.deployedHeadSha = headSha;
    if (superseded(rt, headSha)) return false;
    const readiness = await awaitPhaseReady(rt, acts, headSha, step);
    if (readiness.kind === 'superseded') return false;
    if (readiness.kind === 'degraded') {
      await updateCost(rt, acts);
      setPhase(rt, 'Degraded', readiness.reason);
      return false;
    }
  }
  return true;
}

function onRoundFailure(rt: Runtime, err: ActivityFailure, provisionedNow: boolean): void {
  const failure = lastErrorOf(err, 'deploy');
  rt.state.lastError = failure;
  if (failure.type === NAMESPACE_MISSING_FAILURE_TYPE && !provisionedNow) {
    // Someone deleted the namespace by hand: provision again instead of failing.
    rt.state.provisioned = false;
    rt.state.redeployRequested = true;
    recordEvent(rt, 'namespace-missing', failure.message);
    changed(rt);
    return;
  }
  setPhase(rt, 'Failed', `${failure.step} failed: ${failure.message}`);
}

export async function deployRound(rt: Runtime, acts: StepActivities): Promise<void> {
  const headSha = rt.state.desiredHeadSha;
  rt.state.attemptedHeadSha = headSha;
  rt.state.redeployRequested = false;
  recordEvent(rt, 'deploy', headSha);
  let provisionedNow = false;
  try {
    if (!rt.state.provisioned) {
      await provision(rt, acts, headSha);
      provisionedNow = true;
    }
    setPhase(rt, 'Deploying');
    const services = await chooseServices(rt, acts, headSha);
    if (superseded(rt, headSha)) return;
    if (!(await rollOut(rt, acts, headSha, services))) return;
    await updateCost(rt, acts);
    setPhase(rt, 'Ready');
  } catch (err) {
    if (err instanceof ActivityFailure && !isCancellation(err)) return onRoundFailure(rt, err, provisionedNow);
    throw err;
  }
}
