import { Client, Connection, ScheduleNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { Registry, type Counter } from 'prom-client';
import { defaultPayloadConverter } from '@temporalio/common';
import { createJanitorActivities, JANITOR_DELETED_METRIC, JANITOR_SKIPPED_METRIC } from '../../../activities/janitor';
import { parseConfig } from '../../../src/config';
import { buildApplication, buildNamespace, namespaceNameFor, previewKeys, type KubeObject } from '../../../src/kubernetes';
import { ensureJanitorSchedule } from '../../../src/worker/janitor-schedule';
import { devServerClient, testKubeConfig, uniqueId } from '../../harness';
import type { Clock } from '../../../activities/clock';
import { ARGOCD_NAMESPACE, kubeFixture, runActivity, sha, testServices, testSettings } from '../kubernetes/support';
import { type JanitorActivities, type JanitorInput, type JanitorSummary, type SkipReason, type PreviewRef, JANITOR_WORKFLOW_TYPE } from '../../../workflows/contract';
import type { ClusterSettings } from '../../../src/config';
import { guardedInterceptors } from '../../../src/temporal-client';

// The janitor on the real servers: the Temporal dev server answers the ownership questions
// (visibility and describe), the real control plane holds the namespaces, and
// kube-controller-manager finishes their deletion. Each test uses its own namespace prefix,
// so the janitor sees only the namespaces that test made.

const RETENTION_MS = 3_000;

/**
 * A clock that reads `start` at its first use and runs in real time from there. The janitor's
 * "now" is then fixed relative to the namespaces' creation, however long the run takes to reach
 * its scan on a loaded machine (with the system clock, a slow start aged the "young" namespace
 * past the retention window).
 */
function clockFrom(start: number): Clock {
  let first: number | undefined;
  return {
    now() {
      first ??= Date.now();
      return start + (Date.now() - first);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

const uniquePrefix = () => `j${Math.random().toString(36).slice(2, 8)}`;
const previewOf = (repoKey: string): PreviewRef => ({ repository: `acme/${repoKey}`, repoKey, prNumber: 1 });
/** An id of the shape previewd makes, for a workflow that never existed. */
const neverStarted = (prefix: string, what: string) => `preview:acme/${prefix}-${what}-never#1`;

async function counterValues(registry: Registry): Promise<{ deleted: number; skipped: Partial<Record<SkipReason, number>> }> {
  const deleted = await (registry.getSingleMetric(JANITOR_DELETED_METRIC) as Counter).get();
  const skipped = await (registry.getSingleMetric(JANITOR_SKIPPED_METRIC) as Counter<'reason'>).get();
  const nonZero = skipped.values.filter((v) => v.value > 0).map((v) => [v.labels.reason as SkipReason, v.value] as const);
  return { deleted: deleted.values[0]?.value ?? 0, skipped: Object.fromEntries(nonZero) };
}

describe('orphan-namespace janitor on the dev server and the control plane', () => {
  const kube = kubeFixture();
  let client: Client;
  let connection: Connection;
  let native: NativeConnection;
  let bundle: WorkflowBundle;
  const leftovers: string[] = [];
  const owners: WorkflowHandle[] = [];

  beforeAll(async () => {
    ({ client, connection } = await devServerClient());
    native = await NativeConnection.connect({ address: connection.options.address });
    bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../fixtures/workflows/janitor') });
  });

  afterAll(async () => {
    for (const owner of owners) await owner.terminate('test over').catch(() => undefined);
    for (const name of leftovers) await kube.api.delete({ apiVersion: 'v1', kind: 'Namespace', name }, 'Background').catch(() => undefined);
    await native?.close();
    await connection?.close();
  });

  const namespaceExists = async (name: string) => (await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name })) !== undefined;

  /** A namespace exactly as the lifecycle's ensureNamespace makes it, owned (by annotation) by `workflowId`. */
  async function previewNamespace(settings: ClusterSettings, preview: PreviewRef, workflowId: string): Promise<string> {
    const result = await runActivity(kube.activities(settings).ensureNamespace, { preview, headSha: sha('a1'), workflowId, expiresAt: '2030-01-01T00:00:00.000Z' });
    leftovers.push(result.namespace);
    return result.namespace;
  }

  async function handMadeNamespace(ns: KubeObject): Promise<string> {
    await kube.api.create(ns);
    leftovers.push(ns.metadata.name);
    return ns.metadata.name;
  }

  function janitorActivities(settings: ClusterSettings, temporalClient: Client, registry: Registry, clock?: Clock): JanitorActivities {
    return createJanitorActivities({ kubernetes: { kubeConfig: testKubeConfig(), settings, clock }, temporalClient, metricsRegistry: registry });
  }

  let lastRunId = '';
  async function runJanitor(activities: JanitorActivities, input: JanitorInput): Promise<JanitorSummary> {
    const taskQueue = uniqueId('janitor');
    const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle, activities });
    lastRunId = uniqueId('janitor-run');
    return worker.runUntil(client.workflow.execute(JANITOR_WORKFLOW_TYPE, { taskQueue, workflowId: lastRunId, args: [input] }) as Promise<JanitorSummary>);
  }

  /** activity type → the summary the Temporal UI shows for it, from the last run's history. */
  async function activitySummaries(): Promise<Record<string, string>> {
    const history = await client.workflow.getHandle(lastRunId).fetchHistory();
    const scheduled = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes);
    return Object.fromEntries(
      scheduled.map((e) => {
        const summary = e.userMetadata?.summary;
        return [e.activityTaskScheduledEventAttributes?.activityType?.name ?? '?', summary ? String(defaultPayloadConverter.fromPayload(summary)) : '(none)'];
      }),
    );
  }

  /** Starts a lifecycle workflow on a queue nobody polls: it stays Running, as an idle preview does. */
  async function runningOwner(repoKey: string): Promise<string> {
    const workflowId = `preview:acme/${repoKey}#1`;
    owners.push(await client.workflow.start('previewLifecycle', { taskQueue: uniqueId('nobody-polls'), workflowId, args: [{}] }));
    // Wait until visibility lists it, so the janitor's visibility path (not only describe) is exercised.
    await eventually(async () => ((await client.workflow.count(`WorkflowType = 'previewLifecycle' AND ExecutionStatus = 'Running' AND WorkflowId = '${workflowId}'`)).count === 1 ? true : undefined), 'the owner in visibility');
    return workflowId;
  }

  /** A workflow that really ran and completed. */
  async function completedOwner(prefix: string): Promise<string> {
    const taskQueue = uniqueId('completes');
    const workflowId = `preview:acme/${prefix}-done#1`;
    const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle, activities: {} });
    await worker.runUntil(client.workflow.execute('finishesAtOnce', { taskQueue, workflowId }));
    return workflowId;
  }

  it('tears down only the namespaces no running workflow owns and that are older than the retention window', async () => {
    const prefix = uniquePrefix();
    const settings = testSettings({ namespacePrefix: prefix });
    const keys = previewKeys(settings);

    // (a) owned by a running lifecycle workflow.
    const owned = await previewNamespace(settings, previewOf('own'), await runningOwner(`${prefix}-own`));
    // (b) orphaned: its workflow never existed; a full preview with Applications and a route.
    const orphanPreview = previewOf('orph');
    const orphan = namespaceNameFor(settings, orphanPreview);
    await previewNamespace(settings, orphanPreview, neverStarted(prefix, 'orph'));
    const acts = kube.activities(settings);
    for (const service of testServices()) await runActivity(acts.deployApps, { preview: orphanPreview, headSha: sha('a1'), phase: service.phase, services: [service] });
    // This test's own prefix keeps the janitor to its namespaces, and is outside the AppProject's
    // pr-* destinations: real Argo CD refuses to sync these Applications, and on deletion its
    // finalizer lets them go without pruning. What is checked is that they go with the namespace.
    const routes = await kube.api.list('gateway.networking.k8s.io/v1', 'HTTPRoute', { namespace: orphan });
    expect(routes.map((r) => r.metadata.name)).toHaveLength(1);
    // (e) its workflow ran and completed.
    const done = await previewNamespace(settings, previewOf('done'), await completedOwner(prefix));
    // Previewd-labelled but without an owner annotation: not provably orphaned.
    const unannotated = buildNamespace(settings, previewOf('anon'), { headSha: sha('a1'), workflowId: 'x', expiresAt: '2030-01-01T00:00:00.000Z' });
    delete unannotated.metadata.annotations?.[keys.workflowId];
    const anonymous = await handMadeNamespace(unannotated);
    // (d) foreign: the prefix without the ownership label, and the label without the prefix.
    const handMade = await handMadeNamespace({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: `${prefix}-hand-1`, labels: { 'app.kubernetes.io/managed-by': 'helm' }, annotations: { [keys.workflowId]: neverStarted(prefix, 'hand') } },
    });
    const otherPrefix = await handMadeNamespace({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: `x${prefix}-orph-1`, labels: { 'app.kubernetes.io/managed-by': 'previewd', [keys.repo]: 'orph', [keys.pr]: '1' }, annotations: { [keys.workflowId]: neverStarted(prefix, 'x') } },
    });
    // creationTimestamp has one-second resolution: wait well past the window.
    await sleep(RETENTION_MS + 1_500);
    // (c) orphaned by annotation, but younger than the retention window.
    const young = await previewNamespace(settings, previewOf('young'), neverStarted(prefix, 'young'));
    const youngCreated = Date.parse((await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: young }))?.metadata.creationTimestamp ?? '');
    // The scan sees "young" one second old, and every other namespace at least RETENTION_MS + 1 s old.
    const clock = clockFrom(youngCreated + 1_000);

    const registry = new Registry();
    const summary = await runJanitor(janitorActivities(settings, client, registry, clock), { retentionMs: RETENTION_MS, dryRun: false });

    expect([...summary.deleted].sort()).toEqual([done, orphan].sort());
    expect(summary).toMatchObject({ dryRun: false, found: 5, gone: [], wouldDelete: [], failed: [], skippedByReason: { owned: 1, 'too-young': 1, 'no-owner': 1 } });
    expect(Object.fromEntries(summary.skipped.map((s) => [s.namespace, s.reason]))).toEqual({ [owned]: 'owned', [young]: 'too-young', [anonymous]: 'no-owner' });
    expect(summary.skipped.find((s) => s.namespace === owned)?.detail).toContain('(visibility)');
    expect(await counterValues(registry)).toEqual({ deleted: 2, skipped: { owned: 1, 'too-young': 1, 'no-owner': 1 } });
    // What the Temporal UI shows for each step of the run.
    expect(await activitySummaries()).toMatchObject({
      scanForOrphans: 'Find preview namespaces whose run is gone',
      scanForOrphanApplications: 'Find previewd Applications whose namespace and run are gone',
      tearDownOrphan: 'Tear down an orphaned preview namespace',
    });

    // Really gone (the teardown waits until kube-controller-manager has finalised), with their Applications.
    expect(await namespaceExists(orphan)).toBe(false);
    expect(await namespaceExists(done)).toBe(false);
    const apps = await kube.api.list('argoproj.io/v1alpha1', 'Application', { namespace: ARGOCD_NAMESPACE, labelSelector: `${keys.repo}=orph` });
    expect(apps.filter((a) => (a.spec as { destination: { namespace: string } }).destination.namespace === orphan)).toEqual([]);
    for (const kept of [owned, young, anonymous, handMade, otherPrefix]) expect({ kept, exists: await namespaceExists(kept) }).toEqual({ kept, exists: true });
  });

  it('reports confirmed orphans in a dry run and deletes nothing', async () => {
    const prefix = uniquePrefix();
    const settings = testSettings({ namespacePrefix: prefix });
    const orphan = await previewNamespace(settings, previewOf('orph'), neverStarted(prefix, 'orph'));
    await sleep(RETENTION_MS + 1_500);
    const registry = new Registry();

    const summary = await runJanitor(janitorActivities(settings, client, registry), { retentionMs: RETENTION_MS, dryRun: true });

    expect(summary).toMatchObject({ dryRun: true, found: 1, deleted: [], wouldDelete: [orphan], skipped: [], failed: [] });
    expect(await namespaceExists(orphan)).toBe(true);
    expect((await counterValues(registry)).deleted).toBe(0);
  });

  it('deletes nothing when visibility fails (a Temporal namespace that does not exist), in the scan and in the re-check', async () => {
    const prefix = uniquePrefix();
    const settings = testSettings({ namespacePrefix: prefix });
    const orphanPreview = previewOf('orph');
    const orphan = await previewNamespace(settings, orphanPreview, neverStarted(prefix, 'orph'));
    const done = await previewNamespace(settings, previewOf('done'), await completedOwner(prefix));
    await sleep(RETENTION_MS + 1_500);
    const registry = new Registry();
    // Same server, wrong namespace: describe() there answers "namespace not found", which must not read as "workflow not found".
    const lost = new Client({ connection, namespace: uniqueId('no-such-namespace') });
    const blind = janitorActivities(settings, lost, registry);

    const summary = await runJanitor(blind, { retentionMs: RETENTION_MS, dryRun: false });

    expect(summary).toMatchObject({ found: 2, deleted: [], failed: [], skippedByReason: { 'owner-unconfirmed': 2 } });
    expect(summary.skipped.map((s) => s.detail).join('\n')).toMatch(/visibility query failed: .*NamespaceNotFound/);
    expect(await namespaceExists(orphan)).toBe(true);
    expect(await namespaceExists(done)).toBe(true);
    expect(await counterValues(registry)).toEqual({ deleted: 0, skipped: { 'owner-unconfirmed': 2 } });

    // The teardown re-asks Temporal itself: handed a verdict it cannot confirm, it keeps the namespace.
    const ns = await kube.api.get({ apiVersion: 'v1', kind: 'Namespace', name: orphan });
    const candidate = { namespace: orphan, uid: ns?.metadata.uid ?? '', workflowId: neverStarted(prefix, 'orph'), preview: orphanPreview, ageMs: RETENTION_MS, detail: 'from the test' };
    expect(await runActivity(blind.tearDownOrphan, { orphan: candidate, retentionMs: RETENTION_MS })).toMatchObject({ outcome: 'skipped', reason: 'owner-unconfirmed' });
    expect(await namespaceExists(orphan)).toBe(true);
    // With a working client the same call confirms and deletes.
    const seeing = janitorActivities(settings, client, new Registry());
    expect(await runActivity(seeing.tearDownOrphan, { orphan: candidate, retentionMs: RETENTION_MS })).toMatchObject({ outcome: 'deleted', namespace: orphan });
    expect(await namespaceExists(orphan)).toBe(false);
    // A candidate whose namespace was recreated since the scan (another uid) is left alone.
    expect(await runActivity(seeing.tearDownOrphan, { orphan: { ...candidate, namespace: done, uid: 'not-its-uid' }, retentionMs: RETENTION_MS })).toMatchObject({ outcome: 'skipped', reason: 'changed' });
    expect(await namespaceExists(done)).toBe(true);
  });

  it('deletes a leftover Application only when its namespace is gone and its owner is confirmed not running', async () => {
    const prefix = uniquePrefix();
    const settings = testSettings({ namespacePrefix: prefix });
    const applications: string[] = [];
    const ref = (name: string) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: ARGOCD_NAMESPACE, name });
    /** What the lifecycle's deployApps applies, without the finalizer (no namespace for Argo CD to prune in) and without automated sync. */
    const leftover = async (preview: PreviewRef): Promise<string> => {
      const app = buildApplication(settings, preview, testServices()[0]!, { headSha: sha('a1') });
      await kube.api.apply({ ...app, metadata: { ...app.metadata, finalizers: [] }, spec: { ...(app.spec as Record<string, unknown>), syncPolicy: {} } });
      applications.push(app.metadata.name);
      return app.metadata.name;
    };
    const exists = async (name: string) => (await kube.api.get(ref(name))) !== undefined;
    try {
      const orphan = await leftover(previewOf(`${prefix}-orph`));
      const owned = await leftover(previewOf(`${prefix}-own`));
      await runningOwner(`${prefix}-own`);
      // A namespace its running owner still holds: the namespace pass leaves it, and so must this pass.
      const livePreview = previewOf(`${prefix}-live`);
      await previewNamespace(settings, livePreview, await runningOwner(`${prefix}-live`));
      const live = await leftover(livePreview);

      // Visibility fails: nothing is confirmed, nothing deleted.
      const lost = new Client({ connection, namespace: uniqueId('no-such-namespace') });
      const blind = await runJanitor(janitorActivities(settings, lost, new Registry()), { retentionMs: 0, dryRun: false });
      expect(blind.applications).toMatchObject({ found: 3, deleted: [], failed: [], skippedByReason: { 'owner-unconfirmed': 2, 'namespace-exists': 1 } });
      for (const name of [orphan, owned, live]) expect({ name, exists: await exists(name) }).toEqual({ name, exists: true });

      const seeing = await runJanitor(janitorActivities(settings, client, new Registry()), { retentionMs: 0, dryRun: false });
      expect(seeing.applications).toMatchObject({ found: 3, deleted: [orphan], failed: [] });
      expect(Object.fromEntries((seeing.applications?.skipped ?? []).map((s) => [s.name, s.reason]))).toEqual({ [owned]: 'owned', [live]: 'namespace-exists' });
      expect({ orphan: await exists(orphan), owned: await exists(owned), live: await exists(live) }).toEqual({ orphan: false, owned: true, live: true });
    } finally {
      for (const name of applications) await kube.api.delete(ref(name)).catch(() => undefined);
    }
  });

  it('deletes nothing when Temporal is unreachable', async () => {
    const prefix = uniquePrefix();
    const settings = testSettings({ namespacePrefix: prefix });
    const orphan = await previewNamespace(settings, previewOf('orph'), neverStarted(prefix, 'orph'));
    await sleep(RETENTION_MS + 1_500);
    // Nothing listens on port 1; the client's own retries give up after a while (about 20 s).
    const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', interceptors: guardedInterceptors() }), namespace: 'default' });
    try {
      const summary = await runJanitor(janitorActivities(settings, unreachable, new Registry()), { retentionMs: RETENTION_MS, dryRun: false });
      expect(summary).toMatchObject({ found: 1, deleted: [], failed: [], skippedByReason: { 'owner-unconfirmed': 1 } });
      expect(await namespaceExists(orphan)).toBe(true);
    } finally {
      await unreachable.connection.close();
    }
  });

  describe('ensureJanitorSchedule', () => {
    const created: string[] = [];
    afterAll(async () => {
      for (const id of created) await client.schedule.getHandle(id).delete().catch(() => undefined);
    });
    const configWith = (taskQueue: string, janitor: Record<string, unknown>) => parseConfig({ temporal: { taskQueue }, janitor });

    it('creates once, then updates in place (also when two replicas start at once), and pauses when disabled', async () => {
      const scheduleId = uniqueId('janitor-schedule');
      created.push(scheduleId);
      const taskQueue = uniqueId('janitor');
      const handle = client.schedule.getHandle(scheduleId);

      expect(await ensureJanitorSchedule(client, configWith(taskQueue, { interval: '1h', retention: '24h' }), { scheduleId })).toBe('created');
      expect(await ensureJanitorSchedule(client, configWith(taskQueue, { interval: '1h', retention: '24h' }), { scheduleId })).toBe('updated');
      expect(await ensureJanitorSchedule(client, configWith(taskQueue, { interval: '2h', retention: '48h', dryRun: true }), { scheduleId })).toBe('updated');
      const described = await handle.describe();
      expect(described.spec.intervals?.map((i) => i.every)).toEqual([2 * 3_600_000]);
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: JANITOR_WORKFLOW_TYPE, taskQueue, args: [{ retentionMs: 48 * 3_600_000, dryRun: true }] });
      expect(described.policies.overlap).toBe('SKIP');
      expect(described.state.paused).toBe(false);
      // One schedule under that id (the list is eventually consistent, so wait for it to show).
      const listed = await eventually(async () => {
        const ids: string[] = [];
        for await (const s of client.schedule.list()) if (s.scheduleId === scheduleId) ids.push(s.scheduleId);
        return ids.length > 0 ? ids : undefined;
      }, 'the schedule in the list');
      expect(listed).toEqual([scheduleId]);

      expect(await ensureJanitorSchedule(client, configWith(taskQueue, { enabled: false }), { scheduleId })).toBe('paused');
      expect((await handle.describe()).state).toMatchObject({ paused: true, note: expect.stringContaining('janitor.enabled: false') });
      expect(await ensureJanitorSchedule(client, configWith(taskQueue, {}), { scheduleId })).toBe('updated');
      expect((await handle.describe()).state.paused).toBe(false);

      // Two replicas starting together: one creates, the other finds it and updates.
      const raced = uniqueId('janitor-schedule');
      created.push(raced);
      const outcomes = await Promise.all([1, 2].map(() => ensureJanitorSchedule(client, configWith(taskQueue, {}), { scheduleId: raced })));
      expect(outcomes.sort()).toEqual(['created', 'updated']);
    });

    it('does not create a schedule that is disabled', async () => {
      const scheduleId = uniqueId('janitor-schedule');
      expect(await ensureJanitorSchedule(client, configWith(uniqueId('janitor'), { enabled: false }), { scheduleId })).toBe('absent');
      await expect(client.schedule.getHandle(scheduleId).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    });

    it('starts a janitor run with the configured input when triggered', async () => {
      const prefix = uniquePrefix();
      const settings = testSettings({ namespacePrefix: prefix });
      const young = await previewNamespace(settings, previewOf('orph'), neverStarted(prefix, 'orph'));
      const scheduleId = uniqueId('janitor-schedule');
      created.push(scheduleId);
      const taskQueue = uniqueId('janitor');
      await ensureJanitorSchedule(client, configWith(taskQueue, { retention: '10m', dryRun: true }), { scheduleId });
      const handle = client.schedule.getHandle(scheduleId);
      const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle, activities: janitorActivities(settings, client, new Registry()) });
      const summary = await worker.runUntil(async () => {
        await handle.trigger();
        const workflowId = await eventually(async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId, 'the scheduled run');
        return (await client.workflow.getHandle(workflowId).result()) as JanitorSummary;
      });
      expect(summary).toMatchObject({ dryRun: true, found: 1, deleted: [], wouldDelete: [], skippedByReason: { 'too-young': 1 } });
      expect(await namespaceExists(young)).toBe(true);
    });
  });
});
