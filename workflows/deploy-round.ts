import { ActivityFailure, isCancellation, patched } from '@temporalio/workflow';
import type { ImageSelection, ServiceConfig } from '../src/config/repository';
import { planImages, planRollout, selectServices, updateServiceStates, type RolloutStep, type ServiceChange } from '../src/lifecycle';
import { FailureType, type CostEstimate, type DeployAppsResult, type ImageSelector, type ResolveImagesResult } from './contract';
import { blockedByBudget, stillBlocked } from './budget-gate';
import { awaitChecks, gateDue } from './ci-gate';
import { databaseProvisionDue, provisionPreviewDatabase } from './database-steps';
import { describeFailure, lastErrorOf } from './failure-description';
import type { Preview } from './preview';
import { createDurationDue, recordCreateDuration } from './preview-durations';
import { awaitPhaseReady, superseded } from './readiness';
import type { StepActivities } from './step-activities';

// One deploy round brings the preview to one head SHA: provision (first round only: namespace,
// baseline, and the database when the repository has one), choose services, then each rollout
// phase is applied and must be ready before the next. A newer head
// does not interrupt the activity in flight; the round stops at the next step boundary and the
// main loop starts a round for the newest head, so a burst of pushes costs one extra round.
// Errors end the round as Failed and the preview waits for the next event: only explicit
// events and the TTL tear a preview down.

/**
 * Runs started before this patch show a route's URL as soon as the route is applied; newer runs
 * show it only once readiness reports the route accepted by its Gateway (or ingress controller).
 */
export const URL_AFTER_ROUTE_ACCEPTED = 'url-after-route-accepted';

function expiresAtIso(preview: Preview): string {
  return new Date(preview.expiry.expiresAt).toISOString();
}

async function provision(preview: Preview, acts: StepActivities, headSha: string): Promise<void> {
  preview.setPhase('Provisioning');
  const ns = await acts.ensureNamespace({ preview: preview.ref, headSha, workflowId: preview.state.workflowId, expiresAt: expiresAtIso(preview) });
  preview.state.namespace = ns.namespace;
  preview.changed();
  await acts.applyBaseline({ preview: preview.ref });
  if (databaseProvisionDue(preview)) await provisionPreviewDatabase(preview, acts, headSha, ns.namespace);
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

/**
 * A round's last phase deletes the Applications of services the round no longer deploys (the
 * PR stopped changing them: the base environment serves them again). Behind a patch: runs
 * recorded before it left them in place.
 */
export const PRUNE_DESELECTED_PATCH = 'prune-deselected-services';

/** How one round rolls out: a redeploy of the same head (asks Argo CD for a sync), the planned images. */
interface RolloutOptions {
  readonly redeploy: boolean;
  readonly images?: Readonly<Record<string, ImageSelector>>;
}

/** Forgets the services whose Applications the round deleted: they no longer belong to the preview. */
function forgetPruned(preview: Preview, pruned: readonly string[] | undefined): void {
  if (!pruned || pruned.length === 0) return;
  preview.state.services = preview.state.services.filter((svc) => !pruned.includes(svc.name));
  preview.recordEvent('pruned', `no longer deployed: ${pruned.join(', ')}`);
}

/**
 * The change of each deployed service. A URL whose route still awaits its Gateway is left as it
 * was (readiness sets it once the route is accepted), so a redeploy does not blank a working one.
 */
function deployedChanges(step: RolloutStep, result: DeployAppsResult, headSha: string): ServiceChange[] {
  const afterAcceptance = patched(URL_AFTER_ROUTE_ACCEPTED);
  const routes = new Map(result.routes.map((r) => [r.service, r]));
  const apps = new Map(result.applications.map((a) => [a.service, a.application]));
  return step.services.map((svc) => {
    const route = routes.get(svc.name);
    const change = { name: svc.name, state: 'Progressing' as const, headSha, application: apps.get(svc.name) };
    return afterAcceptance && route?.awaitsAcceptance ? change : { ...change, url: route?.url };
  });
}

/** The pinned images of this phase's services only: what deployApps needs, and no more in history. */
function phaseImages(step: RolloutStep, images: Readonly<Record<string, ImageSelector>>): Record<string, ImageSelector> {
  const pinned: Record<string, ImageSelector> = {};
  for (const svc of step.services) {
    const image = images[svc.name];
    if (image) pinned[svc.name] = image;
  }
  return pinned;
}

async function applyPhase(preview: Preview, acts: StepActivities, headSha: string, step: RolloutStep, options: RolloutOptions, keep?: readonly string[]): Promise<void> {
  const all = preview.input.config.services;
  const s = preview.state;
  s.services = updateServiceStates(s.services, all, step.services.map((svc) => ({ name: svc.name, state: 'Deploying' as const, message: undefined })));
  preview.changed();
  const requestSync = options.redeploy && patched(REDEPLOY_REQUESTS_SYNC_PATCH);
  const pinned = options.images && phaseImages(step, options.images);
  const result = await acts.deployApps({
    preview: preview.ref,
    headSha,
    phase: step.phase,
    services: step.services,
    ...(requestSync ? { requestSync } : {}),
    ...(pinned && { images: pinned }),
    ...(keep && { keep }),
  });
  s.services = updateServiceStates(s.services, all, deployedChanges(step, result, headSha));
  forgetPruned(preview, result.pruned);
  preview.changed();
}

/** The repository's image selection when it reads a lock file (`digestLock`, `requireDigests`). */
function lockSelection(preview: Preview): ImageSelection | undefined {
  const selection = preview.input.config.images;
  return selection && selection.mode !== 'tag' ? selection : undefined;
}

/**
 * The PR's lock file, for image modes that read one: before anything is provisioned, so a
 * refused lock leaves nothing behind. The result is in history; replays do not read it again.
 */
async function resolveImages(preview: Preview, acts: StepActivities, headSha: string, selection: ImageSelection): Promise<ResolveImagesResult> {
  const resolved = await acts.resolveImages({ preview: preview.ref, headSha, selection, services: preview.input.config.services });
  preview.recordEvent('images', `${resolved.lockFile} (blob ${resolved.blobSha.slice(0, 12)}) pins ${Object.keys(resolved.images).length} service(s)`);
  return resolved;
}

/** The cost as measured now (undefined when it could not be). */
async function updateCost(preview: Preview, acts: StepActivities): Promise<CostEstimate | undefined> {
  try {
    const cost = await acts.computeCost({ preview: preview.ref, expiresAt: expiresAtIso(preview) });
    preview.state.cost = { perHour: cost.perHour, currency: cost.currency, computedAt: new Date().toISOString() };
    return cost;
  } catch (err) {
    if (isCancellation(err)) throw err;
    preview.state.lastError = lastErrorOf(err, 'computeCost');
    preview.recordEvent('cost-unknown', describeFailure(err).message);
    return undefined;
  }
}

/** Applies and waits for every rollout phase; false when the round ended early (superseded or degraded). */
async function rollOut(preview: Preview, acts: StepActivities, headSha: string, services: readonly ServiceConfig[], options: RolloutOptions): Promise<boolean> {
  const plan = planRollout(services);
  for (const [i, step] of plan.entries()) {
    const last = i === plan.length - 1;
    const keep = last && patched(PRUNE_DESELECTED_PATCH) ? services.map((svc) => svc.name) : undefined;
    await applyPhase(preview, acts, headSha, step, options, keep);
    if (last) preview.state.deployedHeadSha = headSha;
    if (superseded(preview, headSha)) return false;
    const readiness = await awaitPhaseReady(preview, acts, headSha, step);
    if (readiness.kind === 'superseded') return false;
    if (readiness.kind === 'degraded') {
      // Over a blocking budget, Blocked wins: a push that fixes the degradation must not deploy.
      if (!blockedByBudget(preview, await updateCost(preview, acts))) preview.setPhase('Degraded', readiness.reason);
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
  // Only a redeploy starts a round of a Blocked preview (needsRound): the budget decides first.
  if (preview.state.phase === 'Blocked') {
    preview.state.redeployRequested = false;
    if (stillBlocked(preview, await updateCost(preview, acts))) return;
  }
  const headSha = preview.state.desiredHeadSha;
  // Same head as the last round and asked for again: `/preview redeploy` (or a re-provision).
  const redeploy = preview.state.redeployRequested && preview.state.attemptedHeadSha === headSha;
  preview.state.attemptedHeadSha = headSha;
  preview.state.redeployRequested = false;
  preview.recordEvent('deploy', headSha);
  let provisionedNow = false;
  try {
    // Wait for CI before anything is provisioned or deployed for this head. Without a gate not
    // even the patch marker is written, so ungated runs keep their command sequence.
    if (gateDue(preview) && !(await awaitChecks(preview, acts, headSha))) return;
    // Not even an await in tag mode: an extra await here would reorder this round's first
    // commands against the TTL timer's in the same activation, and old histories would not replay.
    const selection = lockSelection(preview);
    const resolved = selection ? await resolveImages(preview, acts, headSha, selection) : undefined;
    if (!preview.state.provisioned) {
      await provision(preview, acts, headSha);
      provisionedNow = true;
    }
    preview.setPhase('Deploying');
    const services = await chooseServices(preview, acts, headSha);
    if (superseded(preview, headSha)) return;
    const images = planImages(preview.input.config.images?.mode ?? 'tag', services, resolved);
    if ('refusal' in images) return preview.setPhase('Failed', images.refusal);
    if (!(await rollOut(preview, acts, headSha, services, { redeploy, images: images.images }))) return;
    if (blockedByBudget(preview, await updateCost(preview, acts))) return;
    preview.setPhase('Ready');
    if (createDurationDue(preview)) await recordCreateDuration(preview, acts);
  } catch (err) {
    if (err instanceof ActivityFailure && !isCancellation(err)) return onRoundFailure(preview, err, provisionedNow);
    throw err;
  }
}
