import { log } from '@temporalio/activity';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../src/config';
import { buildIngress, createIngressMetrics, temporalClient } from '../../../src/ingress';
import {
  createLogger,
  createWorkerMetrics,
  installTemporalLogging,
  PREVIEWS_METRIC,
  STEP_DURATION_METRIC,
  STEP_ERRORS_METRIC,
  startTracing,
  tracingClientInterceptors,
  TRACING_WORKFLOW_MODULES,
  type Tracing,
  type WorkerMetrics,
} from '../../../src/observability';
import { buildWorkerHttp, createWorker, type PreviewdWorker } from '../../../src/worker';
import { PreviewActivityDoubles } from '../../doubles';
import type { ActivityCall } from '../../doubles/preview-activity-doubles';
import { harnessState, uniqueId } from '../../harness';
import { pullRequestEvent, type PrTarget } from '../ingress/github-examples';
import { deliver, eventually, nextTarget, repositoryEntry, SECRET as WEBHOOK_SECRET, testConfig, testRepository, workflowIdOf } from '../ingress/support';
import { OtlpCollector, type ReceivedSpan } from './otlp-collector';
import { type PreviewActivities, type ComputeCostInput, type PreviewOutcome, type PreviewPhase, type PreviewStatus, PREVIEW_PHASES, statusQuery } from '../../../workflows/contract';

// The worker as the process runs it (createWorker with metrics and tracing, Temporal's logs
// through pino) and the ingress, against the dev server; activities are the shared doubles.
// Previews are opened and closed by signed webhook deliveries. What is checked is what an
// operator sees: the worker's /metrics, the JSON log lines, and the spans an OTLP collector
// receives.

const ACTIVITY_SECRET = 'ghp_activityLoggedThis000000000000000000';
const COLLECTOR_KEY = 'otlpCollectorKey000000000000';
const repository = testRepository('obs');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the version the spans' resource must carry, read independently
const PACKAGE_VERSION = (require('../../../package.json') as { version: string }).version;

/** JSON log lines, captured from the process logger's destination. */
const chunks: string[] = [];
const logger = createLogger({ level: 'debug', name: 'previewd-worker', destination: { write: (chunk: string) => void chunks.push(chunk) } });
const logLines = (): Record<string, unknown>[] => chunks.map((c) => JSON.parse(c) as Record<string, unknown>);

const doubles = new PreviewActivityDoubles();
/** The doubles, plus an activity log line carrying secrets, as a careless activity might write. */
function activities(): PreviewActivities {
  const base = doubles.activities();
  return {
    ...base,
    computeCost: (input: ComputeCostInput) => {
      log.info('computing cost', { token: ACTIVITY_SECRET, headers: { authorization: `Bearer ${ACTIVITY_SECRET}` } });
      return base.computeCost(input);
    },
  };
}

let collector: OtlpCollector;
let tracing: Tracing;
let metrics: WorkerMetrics;
let native: NativeConnection;
let worker: PreviewdWorker;
let workerHttp: FastifyInstance;
let client: Client;
let ingress: FastifyInstance;
const ingressMetrics = createIngressMetrics({ defaultMetrics: false });
let loggingInstall: string;

beforeAll(async () => {
  // First, before anything creates Temporal's runtime in this process.
  loggingInstall = installTemporalLogging(logger);
  const { temporal } = harnessState();
  const config = testConfig({
    temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue: uniqueId('observability') },
    repositories: [repositoryEntry(repository, 'obs', { mode: 'always' })],
  });
  collector = await OtlpCollector.start();
  // Tracing as a platform configures it: the standard variables, read by the config loader…
  const { telemetry } = loadConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'previewd-test', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=integration' } });
  // …except the exporter's headers, which the OTLP exporter reads from the process itself (and
  // which therefore never pass through previewd's config). Jest gives each test file its own process.env.
  process.env.OTEL_EXPORTER_OTLP_HEADERS = `x-collector-key=${COLLECTOR_KEY}`;
  tracing = startTracing({ telemetry, role: 'test' }) as Tracing;
  delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
  const workflowBundle: WorkflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../../workflows'),
    workflowInterceptorModules: [...TRACING_WORKFLOW_MODULES],
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
  native = await NativeConnection.connect({ address: temporal.address });
  // No cache: every scrape asks visibility, so the test sees changes as soon as it indexes them.
  metrics = createWorkerMetrics({ defaultMetrics: false, previewsMaxAgeMs: 0 });
  worker = await createWorker({ config, connection: native, workflowBundle, activities: activities(), metrics, tracing });
  workerHttp = buildWorkerHttp({ state: () => worker.worker.getState(), temporalReachable: () => worker.temporalReachable(), registry: metrics.registry, logger });
  // The ingress's client, as start-ingress builds it: tracing's interceptors on signal-with-start.
  client = temporalClient(config, tracingClientInterceptors(tracing));
  ingress = await buildIngress({ config, client, logger, metrics: ingressMetrics, tracer: tracing.tracer });
});

afterAll(async () => {
  await ingress?.close();
  await worker?.stop();
  await workerHttp?.close();
  await native?.close();
  await client?.connection.close();
  await tracing?.shutdown();
  await collector?.close();
});

async function open(target: PrTarget): Promise<WorkflowHandle> {
  const res = await deliver(ingress, 'pull_request', pullRequestEvent('opened', target, { headSha: 'a'.repeat(40) }));
  expect(res.json()).toMatchObject({ result: 'accepted', workflowId: workflowIdOf(target) });
  return client.workflow.getHandle(workflowIdOf(target));
}

async function close(target: PrTarget): Promise<void> {
  const res = await deliver(ingress, 'pull_request', pullRequestEvent('closed', target, { state: 'closed' }));
  expect(res.json()).toMatchObject({ result: 'accepted' });
}

async function status(handle: WorkflowHandle, accept: (s: PreviewStatus) => boolean, what: string): Promise<PreviewStatus> {
  return eventually(async () => {
    const s = await handle.query(statusQuery);
    return accept(s) ? s : undefined;
  }, what);
}

/** `previewd_previews` as the worker's /metrics serves it. */
async function previewsByPhase(): Promise<Record<string, number>> {
  const res = await workerHttp.inject({ url: '/metrics' });
  expect(res.statusCode).toBe(200);
  const counts: Record<string, number> = {};
  for (const m of res.body.matchAll(new RegExp(`^${PREVIEWS_METRIC}\\{phase="(\\w+)"\\} (\\d+)$`, 'gm'))) counts[m[1] as string] = Number(m[2]);
  return counts;
}

function expectedCounts(phases: Partial<Record<PreviewPhase, number>>): Record<string, number> {
  return Object.fromEntries(PREVIEW_PHASES.map((p) => [p, phases[p] ?? 0]));
}

async function untilPreviewsByPhase(expected: Record<string, number>): Promise<void> {
  let last: Record<string, number> = {};
  await eventually(async () => {
    last = await previewsByPhase();
    return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
  }, `previews by phase ${JSON.stringify(expected)} (last: ${JSON.stringify(last)})`);
}

/** Sample count of the step histogram for one step and outcome. */
async function stepSamples(step: string, outcome: string): Promise<number> {
  const text = await metrics.registry.getSingleMetricAsString(STEP_DURATION_METRIC);
  const match = new RegExp(`^${STEP_DURATION_METRIC}_count\\{step="${step}",outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

describe('worker observability (dev server)', () => {
  const ready = nextTarget(repository);
  const deploying = nextTarget(repository);
  let readyHandle: WorkflowHandle;
  let deployingHandle: WorkflowHandle;

  it("installs previewd's logger as Temporal's runtime logger", () => {
    expect(loggingInstall).toBe('installed');
  });

  it('serves previews by phase from visibility while previews run, and readiness', async () => {
    // The first preview's first namespace call fails once (an outage), the second preview waits in its deploy.
    doubles.for(workflowIdOf(ready)).fail('ensureNamespace', { nonRetryable: false, type: 'KubernetesUnavailable', times: 1 });
    const gate = doubles.for(workflowIdOf(deploying)).block('deployApps');
    readyHandle = await open(ready);
    deployingHandle = await open(deploying);
    await status(readyHandle, (s) => s.phase === 'Ready', 'the first preview Ready');
    await doubles.for(workflowIdOf(deploying)).waitForCalls('deployApps');
    const held = await status(deployingHandle, (s) => s.phase !== 'Pending' && s.phase !== 'Provisioning', 'the second preview deploying');

    await untilPreviewsByPhase(expectedCounts({ Ready: 1, [held.phase]: 1 }));
    expect((await workerHttp.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready', worker: 'RUNNING' });
    expect((await workerHttp.inject({ url: '/healthz' })).statusCode).toBe(200);

    gate.open();
    await close(ready);
    await close(deploying);
    await expect(readyHandle.result()).resolves.toMatchObject<Partial<PreviewOutcome>>({ phase: 'Destroyed' });
    await expect(deployingHandle.result()).resolves.toMatchObject<Partial<PreviewOutcome>>({ phase: 'Destroyed' });
    await untilPreviewsByPhase(expectedCounts({}));
  });

  it('times every step the previews ran, by outcome', async () => {
    const calls: ActivityCall[] = [...doubles.for(workflowIdOf(ready)).calls, ...doubles.for(workflowIdOf(deploying)).calls];
    const steps = [...new Set(calls.map((c) => c.activity))];
    // Scope `all`: no service choice to make. Waits happen in the workflow (checkReady, teardownStep); the durations are samples.
    expect(steps.sort()).toEqual(['applyBaseline', 'checkReady', 'computeCost', 'deployApps', 'ensureNamespace', 'recordPreviewDuration', 'reportPreview', 'teardownStep']);
    for (const step of steps) {
      const of = (outcome: ActivityCall['outcome']) => calls.filter((c) => c.activity === step && c.outcome === outcome).length;
      expect({ step, success: await stepSamples(step, 'success'), failure: await stepSamples(step, 'failure'), cancelled: await stepSamples(step, 'cancelled') }).toEqual({
        step,
        success: of('completed'),
        failure: of('failed'),
        cancelled: of('cancelled'),
      });
    }
    // The outage shows as a failed attempt of the step, then a successful one.
    expect(await stepSamples('ensureNamespace', 'failure')).toBe(1);
  });

  it('counts failed step attempts by step and failure type', async () => {
    const text = await metrics.registry.getSingleMetricAsString(STEP_ERRORS_METRIC);
    const samples = [...text.matchAll(/^previewd_step_errors_total\{step="([^"]+)",type="([^"]+)"\} (\d+)$/gm)].map((m) => `${m[1]}/${m[2]}=${m[3]}`);
    expect(samples).toEqual(['ensureNamespace/KubernetesUnavailable=1']);
  });

  it('counts the webhook deliveries by event and result', async () => {
    const text = await ingressMetrics.registry.getSingleMetricAsString('previewd_webhook_deliveries_total');
    expect(text).toContain('previewd_webhook_deliveries_total{event="pull_request",action="opened",result="accepted"} 2');
    expect(text).toContain('previewd_webhook_deliveries_total{event="pull_request",action="closed",result="accepted"} 2');
  });

  it('logs activity lines as JSON with workflowId, repository and PR, and no secret', () => {
    const id = workflowIdOf(ready);
    const about = { workflowId: id, repository: ready.repository, pr: ready.number };
    const lines = logLines();
    // The activity's own line, through Temporal's activity logger.
    expect(lines.find((l) => l.msg === 'computing cost' && l.workflowId === id)).toMatchObject({ ...about, activityType: 'computeCost', sdkComponent: 'activity', token: '[redacted]', headers: { authorization: '[redacted]' } });
    // The SDK's own lines about each activity.
    expect(lines.find((l) => l.msg === 'Activity started' && l.workflowId === id && l.activityType === 'ensureNamespace')).toMatchObject(about);
    expect(lines.find((l) => l.msg === 'Activity failed' && l.workflowId === id)).toMatchObject({ ...about, activityType: 'ensureNamespace', level: 40, err: { message: 'ensureNamespace failed (test double)' } });
    // Task tokens let anyone complete an activity: censored like the rest.
    expect(lines.filter((l) => l.activityType !== undefined).every((l) => l.taskToken === undefined || l.taskToken === '[redacted]')).toBe(true);
    const text = chunks.join('');
    expect(text).not.toContain(ACTIVITY_SECRET);
    expect(text).not.toContain(WEBHOOK_SECRET);
    expect(text).not.toContain(COLLECTOR_KEY);
  });

  it('exports one trace from the signal-with-start through the workflow into its activities', async () => {
    const id = workflowIdOf(ready);
    const spansOf = (name: string) => collector.spans.filter((s) => s.name === name && (s.attributes.temporalWorkflowId === id || s.attributes.workflowId === id));
    // Workflow spans leave the sandbox through a sink when they end; the batch exporter sends them on flush.
    const trace = await eventually(async () => {
      await tracing.flush();
      const start = spansOf('SignalWithStartWorkflow:previewLifecycle')[0];
      const delivery = collector.spans.find((s) => s.spanId === start?.parentSpanId);
      const run = spansOf('RunWorkflow:previewLifecycle')[0];
      const scheduled = spansOf('StartActivity:ensureNamespace')[0];
      const attempts = spansOf('RunActivity:ensureNamespace');
      return delivery && start && run && scheduled && attempts.length === 2 ? { delivery, start, run, scheduled, attempts } : undefined;
    }, 'the spans of the first preview');

    expect(collector.requests.every((r) => r.path === '/v1/traces' && r.contentType.startsWith('application/json'))).toBe(true);
    // OTEL_EXPORTER_OTLP_HEADERS reached the collector (and, above, never the log).
    expect(collector.requests.every((r) => r.headers['x-collector-key'] === COLLECTOR_KEY)).toBe(true);
    const { delivery, start, run, scheduled, attempts } = trace;
    const traceId = delivery.traceId;
    // The webhook delivery is the root: the ingress's server span, then its signal-with-start.
    expect(delivery.parentSpanId).toBeUndefined();
    expect(delivery.attributes).toMatchObject({ 'http.route': '/webhooks/github', 'http.response.status_code': 202, 'previewd.github.event': 'pull_request' });
    expect(start).toMatchObject<Partial<ReceivedSpan>>({ traceId, parentSpanId: delivery.spanId });
    expect(run).toMatchObject<Partial<ReceivedSpan>>({ traceId, parentSpanId: start.spanId, service: 'previewd-test' });
    expect(scheduled).toMatchObject<Partial<ReceivedSpan>>({ traceId, parentSpanId: run.spanId });
    // Both attempts (the failed one and its retry) run under the one scheduling span.
    for (const attempt of attempts) expect(attempt).toMatchObject<Partial<ReceivedSpan>>({ traceId, parentSpanId: scheduled.spanId });
    // Every later step of the opening run is in the same trace.
    const deployed = spansOf('RunActivity:deployApps');
    expect(deployed.length).toBeGreaterThan(0);
    expect(deployed.every((s) => s.traceId === traceId)).toBe(true);

    // Every span says which build, which process and which environment made it.
    for (const span of [delivery, start, run, ...attempts]) {
      expect(span.resource).toMatchObject({ 'service.name': 'previewd-test', 'service.version': PACKAGE_VERSION, 'deployment.environment.name': 'integration' });
      expect(span.resource['service.instance.id']).toMatch(/^[0-9a-f-]{36}$/);
    }

    // Log lines name the trace: the ingress's line about the delivery, and the activity's own line.
    const lines = logLines();
    expect(lines.find((l) => l.msg === 'webhook delivery' && l.workflowId === id)).toMatchObject({ trace_id: traceId, span_id: delivery.spanId });
    const costing = await eventually(async () => {
      await tracing.flush();
      return spansOf('RunActivity:computeCost')[0];
    }, 'the computeCost span');
    expect(lines.find((l) => l.msg === 'computing cost' && l.workflowId === id)).toMatchObject({ trace_id: traceId, span_id: costing.spanId });
    // The SDK's own lines about an activity ('Activity started', 'Activity completed') are written
    // by the worker outside the activity's span, so they carry no trace id: the activity's own lines do.
  });

  it('reports the worker dead and unready once it has stopped', async () => {
    await worker.stop();
    expect((await workerHttp.inject({ url: '/healthz' })).json()).toEqual({ status: 'dead', worker: 'STOPPED' });
    expect((await workerHttp.inject({ url: '/readyz' })).statusCode).toBe(503);
    // A stopped worker stops reporting previews rather than serving numbers that go stale.
    expect(await previewsByPhase()).toEqual({});
  });
});
