import { ApplicationFailure } from '@temporalio/common';
import { buildApplication, namespaceNameFor } from '../../../src/kubernetes';
import { KubernetesApiError, toActivityFailure } from '../../../activities/kubernetes';
import { ARGOCD_NAMESPACE, kubeFixture, rejectionOf, runActivity, sha, testServices, testSettings, uniquePreview, type KubeFixture } from './support';

// What must fail, fails the right way: non-retryable, typed, and carrying the API server's or
// the guard's reason.

describe('Kubernetes activities: refusals', () => {
  let kube: KubeFixture;
  beforeAll(async () => {
    kube = await kubeFixture();
  });

  const namespaceInput = (preview: ReturnType<typeof uniquePreview>) => ({ preview, headSha: sha('e5'), workflowId: 'wf-refuse', expiresAt: '2030-01-01T00:00:00.000Z' });

  it('refuses a namespace with the preview name that previewd does not own, and leaves it alone', async () => {
    const settings = testSettings();
    const preview = uniquePreview();
    const acts = kube.activities(settings);
    const namespace = namespaceNameFor(settings, preview);
    await kube.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { team: 'payments' } } });
    await kube.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'precious', namespace }, data: { keep: 'me' } });
    try {
      for (const attempt of [
        runActivity(acts.ensureNamespace, namespaceInput(preview)),
        runActivity(acts.applyBaseline, { preview }),
        runActivity(acts.deployApps, { preview, headSha: sha('e5'), services: testServices() }),
        runActivity(acts.readWorkloads, { preview }),
        runActivity(acts.teardown, { preview }),
      ]) {
        const err = await rejectionOf(attempt);
        expect(err).toBeInstanceOf(ApplicationFailure);
        expect(err).toMatchObject({ type: 'ForeignNamespace', nonRetryable: true });
        expect((err as Error).message).toMatch(/not managed by previewd/);
      }
      const ns = await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
      expect(ns?.metadata.labels).toEqual({ team: 'payments', 'kubernetes.io/metadata.name': namespace });
      expect(ns?.metadata.deletionTimestamp).toBeUndefined();
      expect(await kube.api.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'precious' })).toBeDefined();
      expect(await kube.api.list('argoproj.io/v1alpha1', 'Application', { namespace: ARGOCD_NAMESPACE, labelSelector: `previewd.test/repo=${preview.repoKey}` })).toEqual([]);
    } finally {
      await kube.api.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
    }
  });

  it('refuses to overwrite an Application of the same name that previewd does not manage', async () => {
    const settings = testSettings();
    const preview = uniquePreview();
    const acts = kube.activities(settings);
    const [service] = testServices();
    const foreign = buildApplication(settings, preview, service!, { headSha: sha('e5') });
    foreign.metadata.labels = { team: 'payments' };
    foreign.metadata.finalizers = [];
    await kube.api.create(foreign);
    try {
      await runActivity(acts.ensureNamespace, namespaceInput(preview));
      const err = await rejectionOf(runActivity(acts.deployApps, { preview, headSha: sha('f6'), services: [service!] }));
      expect(err).toMatchObject({ type: 'ForeignApplication', nonRetryable: true });
      const after = await kube.api.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: ARGOCD_NAMESPACE, name: foreign.metadata.name });
      expect(after?.metadata.labels).toEqual({ team: 'payments' });
    } finally {
      await kube.api.delete({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: ARGOCD_NAMESPACE, name: foreign.metadata.name });
      await runActivity(acts.teardown, { preview });
    }
  });

  it('returns an API validation error non-retryably with the API server message (LimitRange request above limit)', async () => {
    // The settings schema checks syntax; the ordering rule between request and limit is the API server's.
    const settings = testSettings({ limits: { defaultRequest: { cpu: '2' }, default: { cpu: '1' } } });
    const preview = uniquePreview();
    const acts = kube.activities(settings);
    await runActivity(acts.ensureNamespace, namespaceInput(preview));
    try {
      const err = await rejectionOf(runActivity(acts.applyBaseline, { preview }));
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'KubernetesInvalid', nonRetryable: true });
      expect((err as Error).message).toMatch(/LimitRange .*previewd-limits: 422 Invalid: .*default request value 2 is greater than default limit value 1/);
    } finally {
      await runActivity(acts.teardown, { preview });
    }
  });

  it.each([
    // A wrong type fails server-side apply's typed merge (500 "failed to create typed patch object").
    ['a wrong field type', (spec: Record<string, unknown>) => (spec.destination = 'not-an-object'), /500: failed to create typed patch object.*\.spec\.destination: expected map/],
    // A missing required field fails CRD validation (422).
    ['a missing required field', (spec: Record<string, unknown>) => delete spec.destination, /422 Invalid: .*spec\.destination: Required value/],
  ])('returns a CRD schema violation (%s) non-retryably with the API server message', async (_what, corrupt, message) => {
    // Through the same apply path every activity uses, with an Application the CRD rejects.
    const settings = testSettings();
    const [service] = testServices();
    const invalid = buildApplication(settings, uniquePreview(), service!, { headSha: sha('e5') });
    corrupt(invalid.spec as Record<string, unknown>);
    const err = toActivityFailure(await rejectionOf(kube.api.apply(invalid)));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'KubernetesInvalid', nonRetryable: true });
    expect((err as Error).message).toMatch(message);
  });

  it('retries a conflict (409) instead of failing the step', () => {
    const err = toActivityFailure(new KubernetesApiError(409, 'Conflict', 'the object has been modified', 'apply Application argocd/x'));
    expect(err).toMatchObject({ type: 'KubernetesConflict', nonRetryable: false });
    expect(toActivityFailure(new KubernetesApiError(503, 'ServiceUnavailable', 'etcd leader changed', 'get'))).toMatchObject({ nonRetryable: false });
  });
});
