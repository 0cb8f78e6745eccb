import { ApplicationFailure } from '@temporalio/common';
import { buildApplication, namespaceNameFor } from '../../../src/kubernetes';
import { KubernetesApiError, toActivityFailure } from '../../../activities/kubernetes';
import { serviceConfigSchema } from '../../../src/config';
import { SampleRepo } from '../../../src/dev/gitops-repo';
import { harnessState, uniqueId } from '../../harness';
import { ARGOCD_NAMESPACE, kubeFixture, rejectionOf, runActivity, sampleSource, sha, testServices, testSettings, uniquePreview } from './support';

// What must fail, fails the right way: non-retryable, typed, and carrying the API server's,
// the guard's or Argo CD's reason. The AppProject (rendered from charts/previewd) and
// FailOnSharedResource are enforced by the harness's real Argo CD.

describe('Kubernetes activities: refusals', () => {
  const kube = kubeFixture();

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

  it('the AppProject refuses a destination outside pr-* (a misconfigured prefix): nothing is created there', async () => {
    const settings = testSettings({ namespacePrefix: 'preview' });
    const preview = uniquePreview();
    const acts = kube.activities(settings);
    const namespace = namespaceNameFor(settings, preview);
    const [svc] = testServices();
    await runActivity(acts.ensureNamespace, namespaceInput(preview));
    try {
      await runActivity(acts.deployApps, { preview, headSha: sha('e5'), services: [svc!] });
      const result = await runActivity(acts.waitReady, { preview, headSha: sha('e5'), services: [svc!.name], timeoutMs: 15_000 });
      expect(result.services).toEqual([expect.objectContaining({ state: 'Degraded', message: expect.stringMatching(/InvalidSpecError: .*do(es)? not match any of the allowed destinations in project 'previews'/) })]);
      expect(await kube.api.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: svc!.name })).toBeUndefined();
    } finally {
      await runActivity(acts.teardown, { preview });
    }
  });

  describe('FailOnSharedResource', () => {
    const repo = new SampleRepo(harnessState().argocd.repoDir);
    const shared = (name: string, path = 'shared') => serviceConfigSchema.parse({ name, phase: 610, source: sampleSource(path) });

    it('refuses a second service of the same preview that renders an object the first one owns', async () => {
      const settings = testSettings();
      const preview = uniquePreview();
      const acts = kube.activities(settings);
      const namespace = namespaceNameFor(settings, preview);
      await runActivity(acts.ensureNamespace, namespaceInput(preview));
      try {
        await runActivity(acts.deployApps, { preview, headSha: sha('e5'), services: [shared('owner')] });
        expect(await runActivity(acts.waitReady, { preview, headSha: sha('e5'), services: ['owner'] })).toMatchObject({ ready: true });
        await runActivity(acts.deployApps, { preview, headSha: sha('e5'), services: [shared('second')] });
        const result = await runActivity(acts.waitReady, { preview, headSha: sha('e5'), services: ['second'], timeoutMs: 60_000 });
        expect(result.services).toEqual([expect.objectContaining({ state: 'Degraded', terminal: true, message: expect.stringMatching(/shared-settings/) })]);
        expect((await kube.api.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'shared-settings' }))?.data).toMatchObject({ release: 'owner' });
      } finally {
        await runActivity(acts.teardown, { preview });
      }
    });

    it('refuses a preview whose bundle names another preview\'s namespace (which the AppProject allows)', async () => {
      const settings = testSettings();
      const acts = kube.activities(settings);
      const victim = uniquePreview();
      const attacker = uniquePreview();
      const victimNamespace = namespaceNameFor(settings, victim);
      const path = `tests/${uniqueId('takeover')}`;
      await repo.copyApp('shared', path);
      await repo.commit({ [`${path}/values.yaml`]: `image:\n  repository: registry.example.test/acme/web\n  tag: base\nnamespaceOverride: ${victimNamespace}\n` }, 'A bundle that names another namespace');
      await runActivity(acts.ensureNamespace, namespaceInput(victim));
      await runActivity(acts.ensureNamespace, namespaceInput(attacker));
      try {
        await runActivity(acts.deployApps, { preview: victim, headSha: sha('e5'), services: [shared('owner')] });
        expect(await runActivity(acts.waitReady, { preview: victim, headSha: sha('e5'), services: ['owner'] })).toMatchObject({ ready: true });
        await runActivity(acts.deployApps, { preview: attacker, headSha: sha('e5'), services: [shared('takeover', path)] });
        const result = await runActivity(acts.waitReady, { preview: attacker, headSha: sha('e5'), services: ['takeover'], timeoutMs: 60_000 });
        expect(result.services).toEqual([expect.objectContaining({ state: 'Degraded', terminal: true, message: expect.stringMatching(/shared-settings/) })]);
        expect((await kube.api.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: victimNamespace, name: 'shared-settings' }))?.data).toMatchObject({ release: 'owner' });
      } finally {
        await runActivity(acts.teardown, { preview: attacker });
        await runActivity(acts.teardown, { preview: victim });
      }
    });
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
