import { ARGOCD_RESOURCES_FINALIZER, applicationName, boundedName, buildApplication, operationPending, syncOperationPatch } from '../../../src/kubernetes';
import { preview, service, settings, SHA_A, SHA_B } from './fixtures';

// The Application spec as these assertions read it.
interface Spec {
  syncPolicy: { syncOptions: string[]; retry?: unknown };
  source: { helm: { parameters: unknown[] }; kustomize: { images: string[] } };
}

describe('applicationName', () => {
  it('is <namespace>-<service> when it fits', () => {
    expect(applicationName(settings(), preview, 'www')).toBe('pr-shop-503-www');
  });

  it('stays within 63 characters and unique for the longest namespaces and service names', () => {
    const s = settings({ namespacePrefix: 'p'.repeat(20) });
    const longPreview = { ...preview, repoKey: 'k'.repeat(20), prNumber: Number.MAX_SAFE_INTEGER };
    const a = applicationName(s, longPreview, `${'s'.repeat(39)}a`);
    const b = applicationName(s, longPreview, `${'s'.repeat(39)}b`);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(a).not.toBe(b);
  });

  it('is deterministic', () => {
    expect(boundedName(['x'.repeat(60), 'svc'])).toBe(boundedName(['x'.repeat(60), 'svc']));
    expect(boundedName(['a', 'b'], 63)).toBe('a-b');
  });
});

describe('buildApplication', () => {
  const app = buildApplication(settings(), preview, service(), { headSha: SHA_A });
  const spec = app.spec as Record<string, unknown>;

  it('lives in the Argo CD namespace with the resources finalizer', () => {
    expect(app.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(app.metadata).toMatchObject({ name: 'pr-shop-503-www', namespace: 'argocd', finalizers: [ARGOCD_RESOURCES_FINALIZER] });
  });

  it('uses the configured project and server and the PR namespace as destination', () => {
    const s = settings({ argocd: { namespace: 'gitops', project: 'pr-previews', destinationServer: 'https://previews.example:6443', prunePropagationPolicy: 'background' } });
    const other = buildApplication(s, preview, service(), { headSha: SHA_A });
    expect(other.metadata.namespace).toBe('gitops');
    expect(other.spec).toMatchObject({ project: 'pr-previews', destination: { server: 'https://previews.example:6443', namespace: 'pr-shop-503' } });
    expect((other.spec as Spec).syncPolicy.syncOptions).toContain('PrunePropagationPolicy=background');
  });

  it('syncs automatically with prune, self-heal, the seed-000 sync options and a short bounded retry that refreshes', () => {
    expect(spec.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true },
      syncOptions: ['FailOnSharedResource=true', 'PruneLast=true', 'PrunePropagationPolicy=foreground'],
      retry: { limit: 2, backoff: { duration: '5s', factor: 2, maxDuration: '30s' }, refresh: true },
    });
    const custom = buildApplication(settings({ argocd: { syncRetry: { limit: 0, backoff: { duration: '1s' } } } }), preview, service(), { headSha: SHA_A });
    expect((custom.spec as Spec).syncPolicy.retry).toEqual({ limit: 0, backoff: { duration: '1s', factor: 2, maxDuration: '30s' }, refresh: true });
    expect(() => settings({ argocd: { syncRetry: { backoff: { duration: 'soon' } } } })).toThrow(/argocd\.syncRetry\.backoff\.duration/);
  });

  it('asks for an explicit sync of the spec with the same options and retry (what a redeploy writes)', () => {
    expect(syncOperationPatch(settings(), app)).toEqual({
      operation: {
        initiatedBy: { username: 'previewd' },
        sync: { revision: 'HEAD', prune: true, syncOptions: ['FailOnSharedResource=true', 'PruneLast=true', 'PrunePropagationPolicy=foreground'] },
        retry: { limit: 2, backoff: { duration: '5s', factor: 2, maxDuration: '30s' }, refresh: true },
      },
    });
    expect(operationPending(app)).toBe(false);
    expect(operationPending({ ...app, operation: { sync: {} } })).toBe(true);
  });

  it('labels PR, repo, service, phase and head SHA', () => {
    expect(app.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'previewd',
      'acme.io/pr': '503',
      'acme.io/repo': 'shop',
      'acme.io/service': 'www',
      'acme.io/rollout-phase': '650',
      'acme.io/head-sha': SHA_A,
    });
  });

  it('passes the head SHA as a string Helm parameter', () => {
    expect(spec.source).toEqual({
      repoURL: 'https://git.acme.io/gitops.git',
      path: 'apps/www',
      targetRevision: 'HEAD',
      helm: { releaseName: 'www', parameters: [{ name: 'image.tag', value: SHA_A, forceString: true }] },
    });
  });

  it('passes a digest instead of the tag when one is pinned', () => {
    const digest = `sha256:${'f'.repeat(64)}`;
    const pinned = buildApplication(settings(), preview, service(), { headSha: SHA_B, image: { digest } });
    expect((pinned.spec as Spec).source.helm.parameters).toEqual([{ name: 'image.tag', value: digest, forceString: true }]);
    expect(pinned.metadata.annotations?.['acme.io/image']).toBe(`ghcr.io/acme/www@${digest}`);
  });

  it('overrides the image for Kustomize sources, by tag or digest', () => {
    const kustomize = service({ source: { repoURL: 'https://git.acme.io/app.git', path: 'deploy/preview', targetRevision: SHA_B, renderer: 'kustomize', image: 'ghcr.io/acme/www' } });
    const byTag = buildApplication(settings(), preview, kustomize, { headSha: SHA_B });
    expect((byTag.spec as Spec).source).toEqual({ repoURL: 'https://git.acme.io/app.git', path: 'deploy/preview', targetRevision: SHA_B, kustomize: { images: [`ghcr.io/acme/www:${SHA_B}`] } });
    const digest = `sha256:${'e'.repeat(64)}`;
    const byDigest = buildApplication(settings(), preview, kustomize, { headSha: SHA_B, image: { digest } });
    expect((byDigest.spec as Spec).source.kustomize.images).toEqual([`ghcr.io/acme/www@${digest}`]);
  });

  it('rejects head SHAs, tags and digests that are not what they claim', () => {
    expect(() => buildApplication(settings(), preview, service(), { headSha: 'main' })).toThrow(/head SHA/);
    expect(() => buildApplication(settings(), preview, service(), { headSha: SHA_A, image: { tag: 'x y' } })).toThrow(/tag/);
    expect(() => buildApplication(settings(), preview, service(), { headSha: SHA_A, image: { digest: 'sha256:nothex' } })).toThrow(/digest/);
  });

  describe('a PR-owned bundle (seed 000 Option A)', () => {
    const bundle = (extra: Record<string, unknown> = {}) => service({ source: { type: 'prBundle', repoURL: 'https://github.com/acme/shop.git', ...extra } });

    it('renders the configured repository and path at the head SHA, in the fixed project', () => {
      const app = buildApplication(settings(), preview, bundle(), { headSha: SHA_B });
      expect((app.spec as Spec & { project: string }).project).toBe('previews');
      expect((app.spec as Spec).source).toEqual({ repoURL: 'https://github.com/acme/shop.git', path: 'deploy/preview', targetRevision: SHA_B });
      expect(app.metadata.annotations?.['acme.io/image']).toBeUndefined();
    });

    it('overrides the named image with the tag or the pinned digest', () => {
      const digest = `sha256:${'c'.repeat(64)}`;
      const app = buildApplication(settings(), preview, bundle({ image: 'ghcr.io/acme/shop', path: 'ops/preview' }), { headSha: SHA_B, image: { digest } });
      expect((app.spec as Spec).source).toEqual({ repoURL: 'https://github.com/acme/shop.git', path: 'ops/preview', targetRevision: SHA_B, kustomize: { images: [`ghcr.io/acme/shop@${digest}`] } });
    });

    it('takes no path that climbs out of the repository', () => {
      for (const path of ['../other', '/etc', 'deploy/../..', 'deploy/./preview', '']) expect(() => bundle({ path })).toThrow(/path/);
    });
  });

  it('never sets a namespace inside the source (the bundle contract)', () => {
    expect(JSON.stringify(spec.source)).not.toContain('namespace');
  });
});
