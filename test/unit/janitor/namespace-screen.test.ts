import { previewOfNamespace, screenNamespace, type ScreenContext } from '../../../src/janitor';
import type { KubeObject } from '../../../src/kubernetes';

const settings = { namespacePrefix: 'pr', labelDomain: 'previewd.test' };
const NOW = Date.parse('2025-06-01T12:00:00Z');
const HOUR = 3_600_000;
const ctx: ScreenContext = { settings, nowMs: NOW, retentionMs: 24 * HOUR };

function namespace(overrides: { name?: string; labels?: Record<string, string | undefined>; annotations?: Record<string, string | undefined>; created?: string; deleting?: string } = {}): KubeObject {
  const clean = (o: Record<string, string | undefined>) => Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: overrides.name ?? 'pr-shop-12',
      uid: 'u-1',
      creationTimestamp: overrides.created ?? new Date(NOW - 48 * HOUR).toISOString(),
      ...(overrides.deleting && { deletionTimestamp: overrides.deleting }),
      labels: clean({ 'app.kubernetes.io/managed-by': 'previewd', 'previewd.test/repo': 'shop', 'previewd.test/pr': '12', ...overrides.labels }),
      annotations: clean({ 'previewd.test/workflow-id': 'preview:acme/shop#12', 'previewd.test/repository': 'acme/shop', ...overrides.annotations }),
    },
  };
}

describe('screenNamespace', () => {
  it('passes an old, owned-by-annotation preview namespace on to the ownership check', () => {
    expect(screenNamespace(namespace(), ctx)).toEqual({
      kind: 'candidate',
      workflowId: 'preview:acme/shop#12',
      preview: { repository: 'acme/shop', repoKey: 'shop', prNumber: 12 },
      ageMs: 48 * HOUR,
    });
  });

  it('refuses a namespace without the ownership label, even with the prefix and an owner annotation', () => {
    const result = screenNamespace(namespace({ labels: { 'app.kubernetes.io/managed-by': undefined } }), ctx);
    expect(result).toMatchObject({ kind: 'skip', reason: 'foreign' });
  });

  it('refuses a labelled namespace without the prefix', () => {
    expect(screenNamespace(namespace({ name: 'kube-system2' }), ctx)).toMatchObject({ kind: 'skip', reason: 'foreign' });
  });

  it('refuses a namespace labelled by another manager', () => {
    expect(screenNamespace(namespace({ labels: { 'app.kubernetes.io/managed-by': 'helm' } }), ctx)).toMatchObject({ kind: 'skip', reason: 'foreign' });
  });

  it('leaves a namespace that is already being deleted', () => {
    expect(screenNamespace(namespace({ deleting: '2025-06-01T11:00:00Z' }), ctx)).toMatchObject({ kind: 'skip', reason: 'terminating' });
  });

  it('leaves a namespace younger than the retention window, and takes one exactly at it', () => {
    expect(screenNamespace(namespace({ created: new Date(NOW - 24 * HOUR + 1_000).toISOString() }), ctx)).toMatchObject({ kind: 'skip', reason: 'too-young' });
    expect(screenNamespace(namespace({ created: new Date(NOW - 24 * HOUR).toISOString() }), ctx)).toMatchObject({ kind: 'candidate' });
  });

  it('treats a namespace without a readable creation time as malformed, not as old', () => {
    expect(screenNamespace(namespace({ created: 'yesterday' }), ctx)).toMatchObject({ kind: 'skip', reason: 'malformed' });
  });

  it('leaves a namespace with no owner annotation: nothing to confirm ownership against', () => {
    expect(screenNamespace(namespace({ annotations: { 'previewd.test/workflow-id': undefined } }), ctx)).toMatchObject({ kind: 'skip', reason: 'no-owner' });
    expect(screenNamespace(namespace({ annotations: { 'previewd.test/workflow-id': '' } }), ctx)).toMatchObject({ kind: 'skip', reason: 'no-owner' });
  });

  it('refuses an owner annotation that could escape a visibility query', () => {
    const result = screenNamespace(namespace({ annotations: { 'previewd.test/workflow-id': "x' OR WorkflowId != '" } }), ctx);
    expect(result).toMatchObject({ kind: 'skip', reason: 'malformed' });
  });

  it('refuses labels that name a different namespace than the one they are on', () => {
    expect(screenNamespace(namespace({ labels: { 'previewd.test/pr': '13' } }), ctx)).toMatchObject({ kind: 'skip', reason: 'malformed', detail: expect.stringContaining('pr-shop-13') });
    expect(screenNamespace(namespace({ labels: { 'previewd.test/pr': '012' } }), ctx)).toMatchObject({ kind: 'skip', reason: 'malformed' });
    expect(screenNamespace(namespace({ labels: { 'previewd.test/repo': undefined } }), ctx)).toMatchObject({ kind: 'skip', reason: 'malformed' });
  });
});

describe('previewOfNamespace', () => {
  it('falls back to the repo key when the repository annotation is missing', () => {
    expect(previewOfNamespace(settings, namespace({ annotations: { 'previewd.test/repository': undefined } }))).toEqual({ repository: 'shop', repoKey: 'shop', prNumber: 12 });
  });
});
