import { screenApplication, type ScreenContext } from '../../../src/janitor';
import { applicationName, type KubeObject } from '../../../src/kubernetes';

const settings = { namespacePrefix: 'pr', labelDomain: 'previewd.test' };
const NOW = Date.parse('2025-06-01T12:00:00Z');
const HOUR = 3_600_000;
const ctx: ScreenContext = { settings, nowMs: NOW, retentionMs: 24 * HOUR };
const preview = { repository: 'Acme/Shop', repoKey: 'shop', prNumber: 12 };

function application(
  overrides: { name?: string; destination?: string; labels?: Record<string, string | undefined>; annotations?: Record<string, string | undefined>; created?: string; deleting?: string } = {},
): KubeObject {
  const clean = (o: Record<string, string | undefined>) => Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: overrides.name ?? applicationName(settings, preview, 'web'),
      namespace: 'argocd',
      uid: 'u-1',
      creationTimestamp: overrides.created ?? new Date(NOW - 48 * HOUR).toISOString(),
      ...(overrides.deleting && { deletionTimestamp: overrides.deleting }),
      labels: clean({ 'app.kubernetes.io/managed-by': 'previewd', 'previewd.test/repo': 'shop', 'previewd.test/pr': '12', 'previewd.test/service': 'web', ...overrides.labels }),
      annotations: clean({ 'previewd.test/repository': 'Acme/Shop', ...overrides.annotations }),
    },
    spec: { destination: { server: 'https://kubernetes.default.svc', namespace: overrides.destination ?? 'pr-shop-12' } },
  };
}

describe('screenApplication', () => {
  it('names the preview namespace and the owner previewd derives (lower-cased, as the ingress does)', () => {
    expect(screenApplication(application(), ctx)).toEqual({ kind: 'candidate', namespace: 'pr-shop-12', workflowId: 'preview:acme/shop#12', ageMs: 48 * HOUR });
  });

  it.each([
    ['without the managed-by label', application({ labels: { 'app.kubernetes.io/managed-by': undefined } }), 'foreign'],
    ['aimed outside the prefix', application({ destination: 'kube-system' }), 'foreign'],
    ['being deleted', application({ deleting: '2025-06-01T11:00:00Z' }), 'terminating'],
    ['younger than the retention', application({ created: new Date(NOW - HOUR).toISOString() }), 'too-young'],
    ['without a creation time', application({ created: 'yesterday' }), 'malformed'],
    ['whose labels name another preview than its destination', application({ labels: { 'previewd.test/pr': '13' } }), 'malformed'],
    ['whose name is not the one previewd gives its service', application({ name: 'pr-shop-12-other' }), 'malformed'],
    ['without a service label', application({ labels: { 'previewd.test/service': undefined } }), 'malformed'],
    ['without the repository annotation', application({ annotations: { 'previewd.test/repository': undefined } }), 'no-owner'],
    ['whose repository annotation is not owner/repo', application({ annotations: { 'previewd.test/repository': "acme/shop' OR 1=1" } }), 'malformed'],
  ] as const)('leaves an Application %s (%s)', (_what, app, reason) => {
    expect(screenApplication(app, ctx)).toMatchObject({ kind: 'skip', reason });
  });
});
