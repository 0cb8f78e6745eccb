import { repositoryConfigSchema } from '../../../src/config';
import { buildApplication, buildBaseline, buildNamespace, buildRoutes, type KubeObject } from '../../../src/kubernetes';
import { firstDifference, formatChecks, verifyPreview, type PreviewFacts, type VerificationCheck } from '../../../src/verification';
import type { PreviewStatus } from '../../../workflows/contract';
import { preview, service, settings, SHA_B } from '../kubernetes/fixtures';

// The verification plan's verdicts over facts built with previewd's own builders: a healthy
// preview passes every check, and each thing the seed forbids fails its own row, with a reason.

const cluster = settings({ imagePullSecret: { clusterSecretStore: 'previews', remoteKey: 'ghcr-pull', secretName: 'ghcr-pull' } });
const services = [service({ name: 'api', expose: undefined, phase: 610 }), service()];
const repository = repositoryConfigSchema.parse({ fullName: preview.repository, key: preview.repoKey, scope: 'all', services });
const namespace = 'pr-shop-503';
const url = 'https://www-pr-503.dev.acme.io';

function synced(app: KubeObject): KubeObject {
  const spec = app.spec as { source: unknown; destination: unknown };
  return {
    ...app,
    status: {
      sync: { status: 'Synced', revision: 'f'.repeat(40), comparedTo: { source: spec.source, destination: spec.destination } },
      health: { status: 'Healthy' },
      operationState: { phase: 'Succeeded', syncResult: { revision: 'f'.repeat(40), source: spec.source } },
    },
  };
}

function accepted(route: KubeObject): KubeObject {
  const conditions = ['Accepted', 'ResolvedRefs'].map((type) => ({ type, status: 'True', reason: type, observedGeneration: 1 }));
  return { ...route, metadata: { ...route.metadata, generation: 1 }, status: { parents: [{ parentRef: { name: 'shared', namespace: 'gateway-system', sectionName: 'https' }, conditions }] } };
}

const status = {
  workflowId: 'preview:acme/shop#503',
  repository: preview.repository,
  prNumber: preview.prNumber,
  phase: 'Ready',
  desiredHeadSha: SHA_B,
  deployedHeadSha: SHA_B,
  namespace,
  services: services.map((s) => ({ name: s.name, rolloutPhase: s.phase, state: 'Ready', headSha: SHA_B, application: `${namespace}-${s.name}` })),
  urls: [{ service: 'www', url }],
} as unknown as PreviewStatus;

const project: KubeObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name: 'previews', namespace: 'argocd' },
  spec: {
    sourceRepos: ['https://git.acme.io/gitops.git'],
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'pr-*' }],
    clusterResourceWhitelist: [],
    namespaceResourceBlacklist: [
      { group: '', kind: 'ResourceQuota' },
      { group: '', kind: 'LimitRange' },
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
    ],
  },
};

function healthy(): PreviewFacts {
  const baseline = buildBaseline(cluster, preview);
  const ns = buildNamespace(cluster, preview, { headSha: SHA_B, workflowId: status.workflowId, expiresAt: '2030-01-01T00:00:00.000Z' });
  const externalSecret = (o: KubeObject) => (o.kind === 'ExternalSecret' ? { ...o, status: { conditions: [{ type: 'Ready', status: 'True' }] } } : o);
  return {
    settings: cluster,
    repository,
    preview,
    status,
    namespace: ns,
    baseline: baseline.map((o) => ({ expected: o, live: externalSecret(o) })),
    applications: services.map((s) => synced(buildApplication(cluster, preview, s, { headSha: SHA_B }))),
    secretsPresent: new Map([['ghcr-pull', true]]),
    routes: buildRoutes(cluster, preview, services).flatMap((r) => (r.object ? [accepted(r.object)] : [])),
    project,
  };
}

const failures = (checks: VerificationCheck[]) => checks.filter((c) => !c.ok).map((c) => ({ check: c.check, reason: c.reason }));

describe('verifyPreview', () => {
  it('passes every check of a healthy preview, one row per check of the plan', () => {
    const checks = verifyPreview(healthy());
    expect(failures(checks)).toEqual([]);
    expect(checks.map((c) => c.check)).toEqual([
      'workflow',
      `namespace ${namespace}`,
      'baseline NetworkPolicy/previewd-ingress',
      'baseline NetworkPolicy/previewd-egress',
      'baseline ResourceQuota/previewd-quota',
      'baseline LimitRange/previewd-limits',
      'applications in scope',
      'synced+healthy api',
      'synced+healthy www',
      'secret ghcr-pull',
      'route www',
      'appproject refuses cluster-scoped kinds',
      'appproject refuses foreign sources',
    ]);
  });

  it('fails the workflow row when it is not Ready at the PR head, and says so', () => {
    const degraded = verifyPreview({ ...healthy(), status: { ...status, phase: 'Degraded', failureReason: 'www: health Degraded' } });
    expect(failures(degraded)).toEqual([{ check: 'workflow', reason: 'phase Degraded: www: health Degraded' }]);
    const behind = verifyPreview({ ...healthy(), status: { ...status, desiredHeadSha: 'c'.repeat(40) } });
    expect(failures(behind)[0]).toEqual({ check: 'workflow', reason: expect.stringMatching(/^Ready at 0123456789ab, but the PR head is cccccccccccc/) as unknown });
  });

  it('fails a namespace without its labels or annotations, and a baseline object changed or gone', () => {
    const facts = healthy();
    const ns = { ...facts.namespace!, metadata: { ...facts.namespace!.metadata, labels: { 'acme.io/repo': 'shop' } } };
    const [ingress, egress, quota, ...rest] = facts.baseline;
    const opened = { ...ingress!.live!, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] } };
    const checks = verifyPreview({ ...facts, namespace: ns, baseline: [{ ...ingress!, live: opened }, { expected: egress!.expected }, quota!, ...rest] });
    expect(failures(checks)).toEqual([
      { check: `namespace ${namespace}`, reason: 'metadata.labels.app.kubernetes.io/managed-by: expected "previewd", found nothing' },
      { check: 'baseline NetworkPolicy/previewd-ingress', reason: expect.stringMatching(/^differs from what previewd applies: \.spec\.ingress: expected 3 item\(s\)/) as unknown },
      { check: 'baseline NetworkPolicy/previewd-egress', reason: 'missing' },
    ]);
  });

  it('accepts what the API server adds or respells (defaults, quantities)', () => {
    const facts = healthy();
    const baseline = facts.baseline.map((b) => {
      if (b.expected.kind !== 'ResourceQuota') return b;
      const hard = Object.fromEntries(Object.entries((b.expected.spec as { hard: Record<string, string> }).hard).map(([k, v]) => [k, v === '8Gi' ? '8192Mi' : v]));
      return { ...b, live: { ...b.expected, metadata: { ...b.expected.metadata, uid: 'u1', resourceVersion: '7' }, spec: { hard }, status: { used: {} } } };
    });
    expect(failures(verifyPreview({ ...facts, baseline }))).toEqual([]);
  });

  it('fails an Application outside the apps tier, the fixed project or the destination', () => {
    const facts = healthy();
    const [api, www] = facts.applications;
    const foreign = { ...www!, spec: { ...(www!.spec as object), project: 'default' } };
    const infra = { ...api!, metadata: { ...api!.metadata, name: 'pr-shop-503-operator', labels: { ...api!.metadata.labels, 'acme.io/service': 'operator' } } };
    const checks = verifyPreview({ ...facts, applications: [api!, foreign, infra] });
    expect(failures(checks)[0]).toEqual({ check: 'applications in scope', reason: 'pr-shop-503-www is in project default, not previews; pr-shop-503-operator deploys no configured service' });
  });

  it('fails a service whose Application is not Synced + Healthy at the head', () => {
    const facts = healthy();
    const [api, www] = facts.applications;
    const sick = { ...www!, status: { ...(www!.status as object), health: { status: 'Progressing' } } };
    expect(failures(verifyPreview({ ...facts, applications: [api!, sick] }))).toEqual([{ check: 'synced+healthy www', reason: 'Progressing: health Progressing' }]);
    expect(failures(verifyPreview({ ...facts, applications: [api!] }))).toContainEqual({ check: 'synced+healthy www', reason: 'Missing: Application pr-shop-503-www does not exist' });
  });

  it('fails a secret whose ExternalSecret is not Ready or whose Secret is missing', () => {
    const facts = healthy();
    const notReady = facts.baseline.map((b) => (b.expected.kind === 'ExternalSecret' ? { ...b, live: b.expected } : b));
    expect(failures(verifyPreview({ ...facts, baseline: notReady }))).toEqual([{ check: 'secret ghcr-pull', reason: 'ExternalSecret ghcr-pull no Ready condition (is External Secrets running?)' }]);
    expect(failures(verifyPreview({ ...facts, secretsPresent: new Map() }))).toEqual([{ check: 'secret ghcr-pull', reason: 'ExternalSecret is Ready but Secret ghcr-pull does not exist' }]);
  });

  it('fails a route the Gateway has not accepted, and says whether its URL was reported anyway', () => {
    const facts = healthy();
    const pending = facts.routes.map((r) => ({ ...r, status: {} }));
    expect(failures(verifyPreview({ ...facts, routes: pending }))).toEqual([
      { check: 'route www', reason: 'Gateway gateway-system/shared (https) has not reported on HTTPRoute www yet; yet the workflow reports its URL' },
    ]);
    expect(failures(verifyPreview({ ...facts, routes: pending, status: { ...status, urls: [] } }))[0]?.reason).toMatch(/its URL is not reported$/);
  });

  it("fails a route that serves another hostname, the base environment's included", () => {
    const facts = healthy();
    const base = facts.routes.map((r) => ({ ...r, spec: { ...(r.spec as object), hostnames: ['www.dev.acme.io'] } }));
    expect(failures(verifyPreview({ ...facts, routes: base }))).toEqual([{ check: 'route www', reason: 'HTTPRoute www serves www.dev.acme.io, not www-pr-503.dev.acme.io' }]);
    expect(failures(verifyPreview({ ...facts, routes: [] }))).toEqual([{ check: 'route www', reason: 'no HTTPRoute for www' }]);
  });

  it('fails an AppProject that admits cluster-scoped kinds, baseline kinds, any repository or any namespace', () => {
    const facts = healthy();
    const spec = project.spec as Record<string, unknown>;
    const open = (patch: Record<string, unknown>) => failures(verifyPreview({ ...facts, project: { ...project, spec: { ...spec, ...patch } } }));
    expect(open({ clusterResourceWhitelist: [{ group: '*', kind: '*' }] })).toEqual([{ check: 'appproject refuses cluster-scoped kinds', reason: 'clusterResourceWhitelist admits [{"group":"*","kind":"*"}]' }]);
    expect(open({ namespaceResourceBlacklist: [] })).toEqual([{ check: 'appproject refuses cluster-scoped kinds', reason: 'preview Applications may manage baseline kind(s) ResourceQuota, LimitRange, NetworkPolicy' }]);
    expect(open({ sourceRepos: ['*'] })).toEqual([{ check: 'appproject refuses foreign sources', reason: 'sourceRepos ["*"] admits any repository' }]);
    expect(open({ destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }] })[0]?.reason).toMatch(/^destinations outside https:\/\/kubernetes.default.svc pr-\*/);
    expect(failures(verifyPreview({ ...facts, project: undefined }))).toEqual([{ check: 'appproject', reason: 'AppProject argocd/previews does not exist' }]);
  });

  it('fails the AppProject check when previewd makes a sync identity the project does not name', () => {
    const withIdentity = settings({ argocd: { syncServiceAccount: {} } });
    const facts = { ...healthy(), settings: withIdentity, baseline: [] };
    expect(failures(verifyPreview(facts)).find((f) => f.check === 'appproject refuses foreign sources')?.reason).toMatch(/sync identity previewd-sync/);
  });

  it('without the workflow status, fails that row and checks every configured service', () => {
    const checks = verifyPreview({ ...healthy(), status: { unavailable: 'no preview of acme/shop#503' } });
    expect(failures(checks)).toEqual([
      { check: 'workflow', reason: 'no preview of acme/shop#503' },
      { check: 'synced+healthy api', reason: 'no head SHA to compare with (the workflow status is unavailable)' },
      { check: 'synced+healthy www', reason: 'no head SHA to compare with (the workflow status is unavailable)' },
    ]);
  });
});

describe('formatChecks', () => {
  it('prints one aligned row per check and a summary', () => {
    const text = formatChecks([
      { check: 'workflow', ok: true, reason: 'Ready' },
      { check: 'route www', ok: false, reason: 'not accepted' },
    ]);
    expect(text.split('\n')).toEqual(['PASS  workflow   Ready', 'FAIL  route www  not accepted', '', '1 of 2 checks failed']);
  });
});

describe('firstDifference', () => {
  it('finds missing and contradicting fields, and ignores what the live object adds', () => {
    expect(firstDifference({ a: { b: [1, { c: 'x' }] } }, { a: { b: [1, { c: 'x', d: 1 }] }, e: 2 })).toBeUndefined();
    expect(firstDifference({ a: { b: [1, { c: 'x' }] } }, { a: { b: [1, { c: 'y' }] } })).toBe('.a.b[1].c: expected "x", found "y"');
    expect(firstDifference({ cpu: '500m' }, { cpu: '0.5' })).toBeUndefined();
    expect(firstDifference({ cpu: '500m' }, { cpu: '1' })).toBe('.cpu: expected "500m", found "1"');
  });
});
