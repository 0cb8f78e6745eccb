import { buildNamespace, foreignNamespaceReason, MANAGED_BY_LABEL } from '../../../src/kubernetes';
import { preview, settings, SHA_A } from './fixtures';

const details = { headSha: SHA_A, workflowId: 'preview/acme/shop#503', expiresAt: '2030-01-01T00:00:00.000Z' };

describe('buildNamespace', () => {
  it('carries ownership, PR, repo and base-environment labels and the gateway-access label', () => {
    const ns = buildNamespace(settings(), preview, details);
    expect(ns).toMatchObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pr-shop-503' } });
    expect(ns.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'previewd',
      'acme.io/pr': '503',
      'acme.io/repo': 'shop',
      'acme.io/environment': 'dev',
      'gateway-access': 'allowed',
    });
  });

  it('annotates head SHA, workflow id, expiry and repository', () => {
    expect(buildNamespace(settings(), preview, details).metadata.annotations).toEqual({
      'acme.io/head-sha': SHA_A,
      'acme.io/workflow-id': details.workflowId,
      'acme.io/expires-at': details.expiresAt,
      'acme.io/repository': 'acme/shop',
    });
  });

  it('has no gateway-access label without Gateway routes', () => {
    const labels = buildNamespace(settings({ routes: { kind: 'Ingress' } }), preview, details).metadata.labels ?? {};
    expect(Object.keys(labels)).not.toContain('gateway-access');
  });

  it('takes its name from configuration and PR number only', () => {
    const s = settings({ namespacePrefix: 'preview' });
    expect(buildNamespace(s, { ...preview, repository: 'evil/../kube-system' }, details).metadata.name).toBe('preview-shop-503');
  });
});

describe('foreignNamespaceReason', () => {
  const s = settings();
  const ns = (name: string, labels?: Record<string, string>) => ({ metadata: { name, labels } });

  it('accepts a previewd namespace under the prefix', () => {
    expect(foreignNamespaceReason(s, ns('pr-shop-1', { [MANAGED_BY_LABEL]: 'previewd' }))).toBeUndefined();
  });

  it('refuses a namespace without the ownership label', () => {
    expect(foreignNamespaceReason(s, ns('pr-shop-1'))).toMatch(/not managed by previewd/);
    expect(foreignNamespaceReason(s, ns('pr-shop-1', { [MANAGED_BY_LABEL]: 'helm' }))).toMatch(/managed-by=helm/);
  });

  it('refuses a labelled namespace outside the prefix', () => {
    expect(foreignNamespaceReason(s, ns('kube-system', { [MANAGED_BY_LABEL]: 'previewd' }))).toMatch(/prefix "pr-"/);
  });
});
