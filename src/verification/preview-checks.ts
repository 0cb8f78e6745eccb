import type { ClusterSettings } from '../config/cluster';
import type { RepositoryConfig, ServiceConfig } from '../config/repository';
import {
  applicationName,
  applicationReadiness,
  buildNamespace,
  headShaLabel,
  previewKeys,
  routeAcceptance,
  routeHostname,
  routeKind,
  namespaceNameFor,
  type KubeObject,
} from '../kubernetes';
import type { PreviewRef, PreviewStatus } from '../../workflows/contract';
import { firstDifference } from './object-match';

// Seed 000's end-to-end verification plan, as far as the cluster and Temporal can show it: the
// preview's workflow, its namespace and baseline, its Applications (apps tier only, fixed
// project and destination, Synced + Healthy at the head), its secrets, its routes (accepted by
// the Gateway, hostnames of the preview scheme) and the AppProject's refusals. Pure: the facts
// are read elsewhere (gather-facts.ts), so every verdict here is unit-testable.

export interface VerificationCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly reason: string;
}

/** A baseline object as previewd applies it, and the live one (undefined: not there). */
export interface BaselineFact {
  readonly expected: KubeObject;
  readonly live?: KubeObject;
}

export interface PreviewFacts {
  readonly settings: ClusterSettings;
  readonly repository: RepositoryConfig;
  readonly preview: PreviewRef;
  /** The workflow's status query, or why it could not be read. */
  readonly status: PreviewStatus | { readonly unavailable: string };
  readonly namespace?: KubeObject;
  readonly baseline: readonly BaselineFact[];
  /** Every Application labelled for the preview, in Argo CD's namespace. */
  readonly applications: readonly KubeObject[];
  /** Whether each target Secret of the baseline's ExternalSecrets exists (its data is never read into facts). */
  readonly secretsPresent: ReadonlyMap<string, boolean>;
  /** The preview's routes (HTTPRoutes or Ingresses, as configured). */
  readonly routes: readonly KubeObject[];
  readonly project?: KubeObject;
}

const pass = (check: string, reason: string): VerificationCheck => ({ check, ok: true, reason });
const fail = (check: string, reason: string): VerificationCheck => ({ check, ok: false, reason });

function liveStatus(facts: PreviewFacts): PreviewStatus | undefined {
  return 'unavailable' in facts.status ? undefined : facts.status;
}

const short = (sha: string | undefined) => (sha ?? '<none>').slice(0, 12);

function workflowCheck(facts: PreviewFacts): VerificationCheck {
  const check = 'workflow';
  const status = liveStatus(facts);
  if (!status) return fail(check, 'unavailable' in facts.status ? facts.status.unavailable : 'no status');
  if (status.phase !== 'Ready') return fail(check, `phase ${status.phase}${status.failureReason ? `: ${status.failureReason}` : ''}`);
  if (status.deployedHeadSha !== status.desiredHeadSha) return fail(check, `Ready at ${short(status.deployedHeadSha)}, but the PR head is ${short(status.desiredHeadSha)}`);
  return pass(check, `${status.workflowId} Ready at ${short(status.deployedHeadSha)}`);
}

function namespaceCheck(facts: PreviewFacts): VerificationCheck {
  const { settings, preview } = facts;
  const name = namespaceNameFor(settings, preview);
  const check = `namespace ${name}`;
  if (!facts.namespace) return fail(check, 'does not exist');
  const keys = previewKeys(settings);
  const status = liveStatus(facts);
  const { labels } = buildNamespace(settings, preview, { headSha: '', workflowId: '', expiresAt: '' }).metadata;
  const annotations = { [keys.repository]: preview.repository, ...(status && { [keys.workflowId]: status.workflowId }) };
  const diff = firstDifference({ labels, annotations }, facts.namespace.metadata);
  if (diff) return fail(check, `metadata${diff}`);
  const missing = [keys.headSha, keys.expiresAt].filter((k) => !facts.namespace?.metadata.annotations?.[k]);
  if (missing.length > 0) return fail(check, `annotation(s) missing: ${missing.join(', ')}`);
  return pass(check, `labels (owner, repository, PR, base environment) and annotations as previewd set them`);
}

/** The fields previewd sets, without the identity (apiVersion, kind, name, namespace) the lookup already matched. */
function appliedFields(expected: KubeObject): Record<string, unknown> {
  const rest = Object.entries(expected).filter(([key]) => key !== 'apiVersion' && key !== 'kind' && key !== 'metadata');
  return { metadata: { labels: expected.metadata.labels }, ...Object.fromEntries(rest) };
}

function baselineCheck(fact: BaselineFact): VerificationCheck {
  const check = `baseline ${fact.expected.kind}/${fact.expected.metadata.name}`;
  if (!fact.live) return fail(check, 'missing');
  const diff = firstDifference(appliedFields(fact.expected), fact.live);
  return diff ? fail(check, `differs from what previewd applies: ${diff}`) : pass(check, 'present, as previewd applies it');
}

function sourceRepo(service: ServiceConfig): string {
  return service.source.repoURL;
}

/** Why one Application is outside the apps tier or its fixed project and destination; undefined when it is not. */
function scopeProblem(facts: PreviewFacts, app: KubeObject, services: ReadonlyMap<string, ServiceConfig>): string | undefined {
  const { settings, preview } = facts;
  const name = app.metadata.name;
  const service = services.get(app.metadata.labels?.[previewKeys(settings).service] ?? '');
  if (!service) return `${name} deploys no configured service`;
  const spec = (app.spec ?? {}) as { project?: string; source?: { repoURL?: string }; sources?: unknown[]; destination?: { server?: string; namespace?: string } };
  if (spec.project !== settings.argocd.project) return `${name} is in project ${spec.project ?? '<none>'}, not ${settings.argocd.project}`;
  if (spec.sources !== undefined) return `${name} has multiple sources`;
  if (spec.source?.repoURL !== sourceRepo(service)) return `${name} deploys from ${spec.source?.repoURL ?? '<none>'}, not ${sourceRepo(service)}`;
  const destination = { server: settings.argocd.destinationServer, namespace: namespaceNameFor(settings, preview) };
  if (spec.destination?.server !== destination.server || spec.destination.namespace !== destination.namespace) {
    return `${name} targets ${spec.destination?.server ?? '?'} ${spec.destination?.namespace ?? '?'}, not ${destination.server} ${destination.namespace}`;
  }
  return undefined;
}

function scopeCheck(facts: PreviewFacts): VerificationCheck {
  const check = 'applications in scope';
  if (facts.applications.length === 0) return fail(check, 'the preview has no Application');
  const services = new Map(facts.repository.services.map((s) => [s.name, s]));
  const problems = facts.applications.map((app) => scopeProblem(facts, app, services)).filter((p) => p !== undefined);
  if (problems.length > 0) return fail(check, problems.join('; '));
  return pass(check, `${facts.applications.length} Application(s): configured apps-tier services only, project ${facts.settings.argocd.project}, destination ${namespaceNameFor(facts.settings, facts.preview)}`);
}

/** The services the workflow deployed (with an Application); every configured one when its status is unknown. */
function deployedServices(facts: PreviewFacts): ServiceConfig[] {
  const status = liveStatus(facts);
  if (!status) return [...facts.repository.services];
  const deployed = new Set(status.services.filter((s) => s.application !== undefined).map((s) => s.name));
  return facts.repository.services.filter((s) => deployed.has(s.name));
}

function readinessChecks(facts: PreviewFacts): VerificationCheck[] {
  const { settings, preview } = facts;
  const status = liveStatus(facts);
  const head = status?.deployedHeadSha ?? status?.desiredHeadSha;
  const byName = new Map(facts.applications.map((a) => [a.metadata.name, a]));
  return deployedServices(facts).map((service) => {
    const check = `synced+healthy ${service.name}`;
    if (!head) return fail(check, 'no head SHA to compare with (the workflow status is unavailable)');
    const application = applicationName(settings, preview, service.name);
    const r = applicationReadiness({ service: service.name, application, headSha: head, headShaLabelKey: previewKeys(settings).headSha, headShaLabel: headShaLabel(head) }, byName.get(application));
    return r.state === 'Ready' ? pass(check, `${application} Synced + Healthy at ${short(head)}`) : fail(check, `${r.state}: ${r.message ?? 'no message'}`);
  });
}

function externalSecretReady(live: KubeObject): string | undefined {
  const ready = ((live.status as { conditions?: { type?: string; status?: string; reason?: string; message?: string }[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return undefined;
  return ready ? `Ready=${ready.status ?? 'Unknown'} (${ready.reason ?? 'no reason'}${ready.message ? `: ${ready.message}` : ''})` : 'no Ready condition (is External Secrets running?)';
}

function secretChecks(facts: PreviewFacts): VerificationCheck[] {
  return facts.baseline
    .filter((b) => b.expected.kind === 'ExternalSecret')
    .map((b) => {
      const target = (b.expected.spec as { target?: { name?: string } } | undefined)?.target?.name ?? b.expected.metadata.name;
      const check = `secret ${target}`;
      if (!b.live) return fail(check, `ExternalSecret ${b.expected.metadata.name} is missing`);
      const diff = firstDifference(appliedFields(b.expected), b.live);
      if (diff) return fail(check, `ExternalSecret ${b.expected.metadata.name} differs from what previewd applies: ${diff}`);
      const notReady = externalSecretReady(b.live);
      if (notReady) return fail(check, `ExternalSecret ${b.expected.metadata.name} ${notReady}`);
      if (!facts.secretsPresent.get(target)) return fail(check, `ExternalSecret is Ready but Secret ${target} does not exist`);
      return pass(check, `ExternalSecret Ready, Secret ${target} present`);
    });
}

function hostnameOf(route: KubeObject): string | undefined {
  const spec = (route.spec ?? {}) as { hostnames?: string[]; rules?: { host?: string }[] };
  return spec.hostnames?.[0] ?? spec.rules?.[0]?.host;
}

function routeCheck(facts: PreviewFacts, service: ServiceConfig, route: KubeObject | undefined): VerificationCheck {
  const { settings, preview } = facts;
  const kind = routeKind(settings)?.kind ?? 'route';
  const check = `route ${service.name}`;
  if (!route) return fail(check, `no ${kind} for ${service.name}`);
  const expected = routeHostname(settings, service.name, preview.prNumber);
  const base = `${service.name}.${settings.baseEnvironment.name}.${settings.domain}`;
  const host = hostnameOf(route);
  if (host !== expected) return fail(check, `${kind} ${route.metadata.name} serves ${host ?? 'no hostname'}, not ${expected}`);
  if (host === base) return fail(check, `${kind} ${route.metadata.name} serves the base environment's hostname ${base}`);
  const acceptance = routeAcceptance(settings, route);
  const reported = liveStatus(facts)?.urls.some((u) => u.url === `https://${expected}`) ?? false;
  if (!acceptance.accepted) {
    const leak = reported ? '; yet the workflow reports its URL' : '; its URL is not reported';
    return fail(check, `${acceptance.message ?? 'not accepted'}${leak}`);
  }
  return pass(check, `${kind} ${route.metadata.name} accepted, ${host} (base environment: ${base})`);
}

function routeChecks(facts: PreviewFacts): VerificationCheck[] {
  if (!routeKind(facts.settings)) return [];
  const key = previewKeys(facts.settings).service;
  const byService = new Map(facts.routes.map((r) => [r.metadata.labels?.[key], r]));
  return deployedServices(facts)
    .filter((s) => s.expose)
    .map((s) => routeCheck(facts, s, byService.get(s.name)));
}

interface ProjectSpec {
  sourceRepos?: string[];
  destinations?: { server?: string; namespace?: string }[];
  clusterResourceWhitelist?: unknown[];
  namespaceResourceBlacklist?: { group?: string; kind?: string }[];
  destinationServiceAccounts?: { namespace?: string; defaultServiceAccount?: string }[];
}

/** Kinds only previewd may manage in a preview namespace (its baseline). */
const BASELINE_KINDS = [
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
];

function projectKindsCheck(facts: PreviewFacts, spec: ProjectSpec): VerificationCheck {
  const check = 'appproject refuses cluster-scoped kinds';
  const whitelist = spec.clusterResourceWhitelist ?? [];
  if (whitelist.length > 0) return fail(check, `clusterResourceWhitelist admits ${JSON.stringify(whitelist)}`);
  const blacklist = spec.namespaceResourceBlacklist ?? [];
  const open = BASELINE_KINDS.filter((k) => !blacklist.some((b) => (b.group ?? '') === k.group && (b.kind === k.kind || b.kind === '*')));
  if (open.length > 0) return fail(check, `preview Applications may manage baseline kind(s) ${open.map((k) => k.kind).join(', ')}`);
  return pass(check, `no cluster-scoped kind admitted; ${blacklist.length} namespaced kind(s) denied, the baseline's included`);
}

function projectSourcesCheck(facts: PreviewFacts, spec: ProjectSpec): VerificationCheck {
  const { settings } = facts;
  const check = 'appproject refuses foreign sources';
  const repos = spec.sourceRepos ?? [];
  if (repos.length === 0) return fail(check, 'sourceRepos is empty: nothing could deploy');
  if (repos.some((r) => r === '*' || r.startsWith('!'))) return fail(check, `sourceRepos ${JSON.stringify(repos)} admits any repository`);
  const prefix = `${settings.namespacePrefix}-`;
  const wide = (spec.destinations ?? []).filter((d) => d.server !== settings.argocd.destinationServer || !(d.namespace ?? '').startsWith(prefix));
  if (wide.length > 0) return fail(check, `destinations outside ${settings.argocd.destinationServer} ${prefix}*: ${JSON.stringify(wide)}`);
  const sync = settings.argocd.syncServiceAccount;
  if (sync && !(spec.destinationServiceAccounts ?? []).some((d) => d.defaultServiceAccount === sync.name)) {
    return fail(check, `previewd creates sync identity ${sync.name}, but the AppProject's destinationServiceAccounts do not name it`);
  }
  return pass(check, `sources only ${repos.join(', ')}; destinations only ${prefix}* on ${settings.argocd.destinationServer}`);
}

function projectChecks(facts: PreviewFacts): VerificationCheck[] {
  const name = `${facts.settings.argocd.namespace}/${facts.settings.argocd.project}`;
  if (!facts.project) return [fail('appproject', `AppProject ${name} does not exist`)];
  const spec = (facts.project.spec ?? {}) as ProjectSpec;
  return [projectKindsCheck(facts, spec), projectSourcesCheck(facts, spec)];
}

/** Every check of the plan, in the plan's order. */
export function verifyPreview(facts: PreviewFacts): VerificationCheck[] {
  return [
    workflowCheck(facts),
    namespaceCheck(facts),
    ...facts.baseline.filter((b) => b.expected.kind !== 'ExternalSecret').map(baselineCheck),
    scopeCheck(facts),
    ...readinessChecks(facts),
    ...secretChecks(facts),
    ...routeChecks(facts),
    ...projectChecks(facts),
  ];
}

/** One row per check: PASS/FAIL, the check, the reason. */
export function formatChecks(checks: readonly VerificationCheck[]): string {
  const width = Math.max(...checks.map((c) => c.check.length));
  const rows = checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'}  ${c.check.padEnd(width)}  ${c.reason}`);
  const failed = checks.filter((c) => !c.ok).length;
  return [...rows, '', failed === 0 ? `all ${checks.length} checks passed` : `${failed} of ${checks.length} checks failed`].join('\n');
}
