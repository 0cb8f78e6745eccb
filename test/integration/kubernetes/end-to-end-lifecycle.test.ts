import { NativeConnection, Worker } from '@temporalio/worker';
import type { Client, Connection } from '@temporalio/client';
import { repositoryConfigSchema } from '../../../src/config';
import { computePreviewCost, DEFAULT_COST_RATES } from '../../../src/cost';
import { namespaceNameFor, previewKeys } from '../../../src/kubernetes';
import { previewWorkflowId } from '../../../src/lifecycle';
import { devServerClient, testKubeConfig, uniqueId } from '../../harness';
import { RouteStatusWriter } from '../../fakes/route-status-writer';
import { ARGOCD_NAMESPACE, kubeFixture, kubeOnlyActivities, replicaStandIn, sha, testServices, testSettings, uniquePreview } from './support';
import { type PreviewReport, type PreviewLifecycleInput, type PreviewOutcome, prEventSignal, statusQuery, type PreviewStatus } from '../../../workflows/contract';

// The lifecycle workflow with the real Kubernetes activities, on the Temporal dev server and
// the real control plane, synced by real Argo CD. GitHub reporting and the service
// chooser belong to other adapters; here they are plain in-process functions (reports are
// recorded), and cost is the real maths over readWorkloads.

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err instanceof Error ? err : new Error(JSON.stringify(err));
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

describe('end-to-end lifecycle on the dev server and the control plane', () => {
  const kube = kubeFixture();
  let client: Client;
  let connection: Connection;
  let native: NativeConnection;

  beforeAll(async () => {
    ({ client, connection } = await devServerClient());
    native = await NativeConnection.connect({ address: connection.options.address });
  });
  afterAll(async () => {
    await native?.close();
    await connection?.close();
  });

  it('opens a preview, redeploys on push and removes everything when the PR closes', async () => {
    const settings = testSettings();
    const preview = uniquePreview();
    const namespace = namespaceNameFor(settings, preview);
    const config = repositoryConfigSchema.parse({ fullName: preview.repository, key: preview.repoKey, scope: 'all', services: testServices({ withWorkload: true }) });
    const k8s = kube.activities(settings);
    const reports: PreviewReport[] = [];
    const activities = kubeOnlyActivities(k8s, {
      computeCost: async (input) => {
        const { totals } = await k8s.readWorkloads({ preview: input.preview });
        const cost = computePreviewCost(totals, DEFAULT_COST_RATES, { now: Date.now(), expiresAt: Date.parse(input.expiresAt) });
        return { currency: cost.currency, perHour: cost.perHour, projectedToExpiry: cost.projectedToExpiry };
      },
      reportPreview: (report) => {
        reports.push(report);
        return Promise.resolve();
      },
    });
    // The api Deployment's pods "start" (no kubelet here), so it gets healthy and has a cost.
    const pods = replicaStandIn(namespace);
    // No gateway controller runs here: the writer accepts the preview's routes in its place (started below).
    const gateway = new RouteStatusWriter(testKubeConfig(), namespace, { name: 'shared', namespace: 'gateway-system', sectionName: 'https' });
    const taskQueue = uniqueId('e2e');
    const worker = await Worker.create({ connection: native, taskQueue, workflowsPath: require.resolve('../../../workflows'), activities });
    const first = sha('1a');
    const second = sha('2b');
    const event = (action: 'opened' | 'synchronize' | 'closed', headSha: string) => ({ action, headSha, labels: ['preview'], sender: 'dev', deliveryId: uniqueId('delivery') });
    try {
      const outcome = await worker.runUntil(async () => {
        const started = Date.now();
        const input: PreviewLifecycleInput = {
          pr: { repository: preview.repository, number: preview.prNumber, headSha: first, labels: ['preview'], author: 'dev' },
          config,
          options: { readinessTimeout: '60s', readinessSlice: '5s', retainAfterTeardown: '0s' },
        };
        const handle = await client.workflow.signalWithStart('previewLifecycle', {
          workflowId: previewWorkflowId({ repository: preview.repository, number: preview.prNumber }),
          taskQueue,
          args: [input],
          signal: prEventSignal,
          signalArgs: [event('opened', first)],
        });
        const status = (): Promise<PreviewStatus> => handle.query(statusQuery);
        // A failed or degraded preview ends the wait at once, with its reason in the assertion.
        const settled = (head: string) => async () => {
          const s = await status();
          return (s.phase === 'Ready' && s.deployedHeadSha === head) || s.phase === 'Failed' || s.phase === 'Degraded' ? s : undefined;
        };
        // Until the Gateway accepts www's route, www is not Ready and its URL is nowhere.
        const waiting = await eventually(async () => (await status()).services.find((svc) => svc.name === 'www' && /has not reported on HTTPRoute www/.test(svc.message ?? '')), 'www waiting for its Gateway');
        expect(waiting.state).toBe('Progressing');
        expect(waiting.url).toBeUndefined();
        expect(reports.flatMap((r) => r.urls)).toEqual([]);
        gateway.start();
        const ready = await eventually(settled(first), 'Ready at the first head');
        const readyMs = Date.now() - started;
        expect({ phase: ready.phase, reason: ready.failureReason }).toEqual({ phase: 'Ready', reason: undefined });
        expect(ready.namespace).toBe(namespace);
        expect(ready.urls).toEqual([{ service: 'www', url: `https://www-pr-${preview.prNumber}.dev.example.test` }]);
        expect(ready.cost?.perHour).toBeGreaterThan(0);
        expect(await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace })).toBeDefined();

        await handle.signal(prEventSignal, event('synchronize', second));
        const pushed = await eventually(settled(second), 'Ready at the pushed head');
        expect({ phase: pushed.phase, reason: pushed.failureReason }).toEqual({ phase: 'Ready', reason: undefined });
        const apps = await kube.api.list('argoproj.io/v1alpha1', 'Application', { namespace: ARGOCD_NAMESPACE, labelSelector: `${previewKeys(settings).repo}=${preview.repoKey}` });
        expect(apps.map((a) => a.metadata.labels?.[previewKeys(settings).headSha])).toEqual([second, second]);

        await handle.signal(prEventSignal, event('closed', second));
        const result = (await handle.result()) as PreviewOutcome;
        process.stdout.write(`end-to-end: ready in ${readyMs} ms, whole lifecycle ${Date.now() - started} ms\n`);
        return result;
      });
      expect(outcome).toMatchObject({ phase: 'Destroyed', reason: 'pull request closed' });
      expect(await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace })).toBeUndefined();
      expect(await kube.api.list('argoproj.io/v1alpha1', 'Application', { namespace: ARGOCD_NAMESPACE, labelSelector: `${previewKeys(settings).repo}=${preview.repoKey}` })).toEqual([]);
      expect(reports.at(-1)).toMatchObject({ final: true, phase: 'Destroyed' });
    } finally {
      await gateway.stop();
      await pods.stop();
    }
  });
});
