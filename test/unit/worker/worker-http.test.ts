import type { State as WorkerState } from '@temporalio/worker';
import { Counter, Registry } from 'prom-client';
import { CORE_COMPLETION_ERROR, WORKFLOW_TASK_FAILURES_METRIC, WorkflowTaskFailures, workflowTaskFailureOf } from '../../../src/observability';
import { buildWorkerHttp } from '../../../src/worker/worker-http';

// The worker's probes and metrics endpoint, through Fastify's inject(): the kubelet restarts a
// worker that failed or stopped, and takes one out of service while it is not polling or
// cannot reach Temporal.

function app(opts: { state: WorkerState; reachable?: boolean; registry?: Registry }) {
  const current = { ...opts };
  const instance = buildWorkerHttp({ state: () => current.state, temporalReachable: () => Promise.resolve(current.reachable ?? true), registry: opts.registry ?? new Registry() });
  return { instance, current };
}

describe('worker /healthz (liveness)', () => {
  it.each<WorkerState>(['INITIALIZED', 'RUNNING', 'STOPPING', 'DRAINING', 'DRAINED'])('is alive while %s', async (state) => {
    const res = await app({ state, reachable: false }).instance.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', worker: state });
  });

  it.each<WorkerState>(['FAILED', 'STOPPED'])('asks for a restart once %s', async (state) => {
    const res = await app({ state }).instance.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'dead', worker: state });
  });
});

describe('worker /readyz (readiness)', () => {
  it('is ready while polling with Temporal reachable', async () => {
    const res = await app({ state: 'RUNNING' }).instance.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', worker: 'RUNNING' });
  });

  it('is unready when Temporal does not answer, and ready again when it does', async () => {
    const { instance, current } = app({ state: 'RUNNING', reachable: false });
    const down = await instance.inject({ url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'unready', reason: 'Temporal is not reachable' });
    current.reachable = true;
    expect((await instance.inject({ url: '/readyz' })).statusCode).toBe(200);
  });

  it.each<WorkerState>(['INITIALIZED', 'DRAINING', 'STOPPED', 'FAILED'])('is unready while %s', async (state) => {
    const res = await app({ state }).instance.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unready', worker: state });
  });
});

describe('worker /readyz with workflow tasks failing', () => {
  // The failures as Core reports them (its warning, forwarded through the SDK's logger), timed by a fake clock.
  const coreLine = (attribute: string) => ({
    error: `code: 'Client specified an invalid argument', message: "BadSearchAttributes: Namespace previews has no mapping defined for search attribute ${attribute}"`,
  });

  it('turns degraded after 3 rejections of one reason within the window, names it, and recovers once the window passes without one', async () => {
    let now = 0;
    const registry = new Registry();
    const failures = new WorkflowTaskFailures({ registry, threshold: 3, windowMs: 60_000, now: () => now });
    const instance = buildWorkerHttp({ state: () => 'RUNNING', temporalReachable: () => Promise.resolve(true), registry, taskTrouble: () => failures.trouble() });
    failures.observe('WARN', CORE_COMPLETION_ERROR, coreLine('PreviewHeadSha'));
    now += 10_000;
    failures.observe('WARN', CORE_COMPLETION_ERROR, coreLine('PreviewHeadSha'));
    failures.observe('WARN', 'Task not found when completing', { error: 'gone' });
    expect((await instance.inject({ url: '/readyz' })).statusCode).toBe(200);
    now += 10_000;
    failures.observe('WARN', CORE_COMPLETION_ERROR, coreLine('PreviewHeadSha'));
    const degraded = await instance.inject({ url: '/readyz' });
    expect(degraded.statusCode).toBe(503);
    expect(degraded.json()).toMatchObject({
      status: 'degraded',
      worker: 'RUNNING',
      reason: 'workflow tasks keep failing: BadSearchAttributes (3 in the last 60 s): Namespace previews has no mapping defined for search attribute PreviewHeadSha',
      workflowTaskFailures: { reason: 'BadSearchAttributes', count: 3, windowSeconds: 60, fix: expect.stringContaining('temporal operator search-attribute create') },
    });
    // Liveness is untouched: a restart would not register the attribute.
    expect((await instance.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect(await registry.getSingleMetricAsString(WORKFLOW_TASK_FAILURES_METRIC)).toContain(`${WORKFLOW_TASK_FAILURES_METRIC}{reason="BadSearchAttributes"} 3`);
    now += 50_001; // the first two fall out of the window: 1 left
    expect((await instance.inject({ url: '/readyz' })).statusCode).toBe(200);
  });

  it('does not add up different reasons', () => {
    const failures = new WorkflowTaskFailures({ registry: new Registry(), threshold: 2 });
    failures.record({ reason: 'BadSearchAttributes', detail: 'a' });
    failures.record({ reason: 'Some other status', detail: 'b' });
    expect(failures.trouble()).toBeUndefined();
    failures.record({ reason: 'Some other status', detail: 'c' });
    expect(failures.trouble()).toMatchObject({ reason: 'Some other status', count: 2, lastDetail: 'c' });
  });
});

describe('workflowTaskFailureOf (Core\'s warning, as captured from SDK 1.24 against Server 1.32)', () => {
  it('reads the server cause and message', () => {
    const meta = { sdkComponent: 'core', target: 'temporalio_sdk_core::worker::workflow', error: `code: 'Client specified an invalid argument', message: "BadSearchAttributes: Namespace default has no mapping defined for search attribute PreviewHeadSha"` };
    expect(workflowTaskFailureOf(CORE_COMPLETION_ERROR, meta)).toEqual({ reason: 'BadSearchAttributes', detail: 'Namespace default has no mapping defined for search attribute PreviewHeadSha', transient: false });
  });

  it('labels a message without a cause by its gRPC status, and ignores every other line', () => {
    expect(workflowTaskFailureOf(CORE_COMPLETION_ERROR, { error: `code: 'Internal error', message: "something broke"` })).toEqual({ reason: 'Internal', detail: 'something broke', transient: false });
    expect(workflowTaskFailureOf(CORE_COMPLETION_ERROR, { error: 'not what Core writes' })).toMatchObject({ reason: 'Other', transient: false });
    expect(workflowTaskFailureOf('Failing workflow task', { error: 'x' })).toBeUndefined();
  });

  it('counts a Temporal outage but does not let it make the worker unready', () => {
    const registry = new Registry();
    const failures = new WorkflowTaskFailures({ registry, threshold: 1 });
    const outage = workflowTaskFailureOf(CORE_COMPLETION_ERROR, { error: `code: 'The service is currently unavailable', message: "Shutting down: frontend is stopping"` });
    expect(outage).toEqual({ reason: 'Unavailable', detail: 'Shutting down: frontend is stopping', transient: true });
    failures.record(outage!);
    expect(failures.trouble()).toBeUndefined();
  });
});

describe('worker /metrics', () => {
  it("serves the registry in Prometheus' text format", async () => {
    const registry = new Registry();
    new Counter({ name: 'previewd_test_total', help: 'a test counter', registers: [registry] }).inc(3);
    const res = await app({ state: 'RUNNING', registry }).instance.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(registry.contentType);
    expect(res.body).toContain('previewd_test_total 3');
  });
});
