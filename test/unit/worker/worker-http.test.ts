import type { State as WorkerState } from '@temporalio/worker';
import { Counter, Registry } from 'prom-client';
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
