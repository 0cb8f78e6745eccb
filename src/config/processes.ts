import { z } from 'zod';
import { durationAtLeast, durationAtMost, positiveDuration } from './duration-schemas';

// How previewd's own processes behave: the webhook ingress, the worker's HTTP side, the
// orphan-namespace janitor, lost-delivery recovery, traces and logs.

// The webhook ingress: where it listens, how large a delivery may be, and how many deliveries
// one repository may send before it is throttled.

/** GitHub caps webhook payloads at 25 MB; a larger body is not a GitHub delivery. */
export const GITHUB_MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

export const ingressRateLimitSchema = z
  .object({
    /** Deliveries per repository per window (seed 004: 100 a minute). */
    max: z.number().int().min(1).default(100),
    window: positiveDuration.default('1m'),
  })
  .strict();

export const ingressConfigSchema = z
  .object({
    host: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(8080),
    bodyLimitBytes: z.number().int().min(1).max(GITHUB_MAX_PAYLOAD_BYTES).default(GITHUB_MAX_PAYLOAD_BYTES),
    rateLimit: ingressRateLimitSchema.prefault({}),
  })
  .strict();

export type IngressConfig = z.infer<typeof ingressConfigSchema>;

// The worker's own small HTTP server: /healthz, /readyz and /metrics for probes and
// Prometheus (the chart's worker Service and ServiceMonitor use port 9464, named `http`).

// How the worker runs Temporal tasks. Previews spend nearly all their life idle on a timer, and
// since readiness and teardown wait in the workflow (durable timers, not activities), every
// activity is a short call. The defaults come from `npm run bench` (docs/benchmarks.md):
// - maxCachedWorkflows: the sticky cache holds a workflow's sandbox between tasks. Idle previews
//   are evicted past this count and replayed when a timer or signal wakes them, so memory stays
//   flat however many previews are open. Measured (bench of 2026-12-02): a cached preview costs
//   about 6.5 MiB of worker RSS (each sandbox instantiates the bundle's modules, zod included),
//   so 250 cached previews took the worker to 2 GiB at rest. 40 keeps the cache near 260 MiB,
//   inside the chart's 512 MiB limit, and equals the workflow task slots;
// - activity slots: short Kubernetes/GitHub calls; more slots than the API server's fair share
//   only queue there instead of in Temporal, where priorities and fairness apply;
// - workflow task slots: the SDK's default; CPU, not slots, bounds workflow tasks on 2 cores.

export const workerTuningSchema = z
  .object({
    /** Workflows kept in the sticky cache; the least recently used are evicted and replayed on their next task. */
    maxCachedWorkflows: z.number().int().min(0).default(40),
    maxConcurrentActivityTaskExecutions: z.number().int().min(1).default(50),
    maxConcurrentWorkflowTaskExecutions: z.number().int().min(2).default(40),
    /** On SIGTERM, how long running activities may finish before they are cancelled (keep below the pod's terminationGracePeriodSeconds). */
    shutdownGraceTime: positiveDuration.default('20s'),
  })
  .strict();

export type WorkerTuning = z.infer<typeof workerTuningSchema>;

// Worker Deployments (Temporal's worker versioning). With a deployment, the worker polls as one
// version of it (name + build id) and previews are pinned to the version that started them: a
// new build never replays an old preview's history, so an upgrade cannot break a running
// preview. Each preview moves to the deployment's current version at its next continue-as-new;
// idle previews are woken for that (`workerVersionCheck`). Absent: unversioned, as before, and
// upgrades rely on replay and patched() alone.
// Deployment names and build ids end up in Temporal's version string `<name>:<buildId>`.
const deploymentPart = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'letters, digits, "-" and "_", at most 100, starting with a letter or digit');

export const workerDeploymentSchema = z
  .object({
    /** The Worker Deployment, one per installation (the chart uses its release name). */
    name: deploymentPart,
    /** This worker's build; the chart uses the image tag. */
    buildId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/, 'letters, digits, ".", "_", "+" and "-", at most 100, starting with a letter or digit'),
    /**
     * Once it polls, make this build the deployment's current version, so new previews start
     * on it and idle ones move to it. Only the newest build sets this: a draining older
     * version that restarts must not take the deployment back.
     */
    setCurrent: z.boolean().default(false),
  })
  .strict();

export type WorkerDeployment = z.infer<typeof workerDeploymentSchema>;

export const workerConfigSchema = z
  .object({
    host: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(9464),
    tuning: workerTuningSchema.prefault({}),
    /** Worker versioning; absent: unversioned. */
    deployment: workerDeploymentSchema.optional(),
    /**
     * Watch previewd's Applications and namespaces and wake the workflows waiting on them
     * (`clusterChanged`), so a wait ends when the cluster changes instead of at the next timer.
     * Off: waits end on their timers only (pollIntervalMs doubling to maxPollIntervalMs).
     */
    clusterWatch: z.boolean().default(true),
    /**
     * Temporal Core SDK metrics (slots, sticky cache, schedule-to-start latency, …), served on
     * /metrics next to previewd's own. Core exposes them on this loopback port, which the worker
     * reads on every scrape; 0 turns them off.
     */
    coreMetricsPort: z.number().int().min(0).max(65535).default(9465),
    /**
     * Prebuilt workflow bundle (`npm run build` writes dist/workflow-bundle.js). When absent, the
     * worker bundles workflows/ at start with webpack (seconds of CPU and much more memory).
     */
    workflowBundle: z.string().min(1).optional(),
  })
  .strict();

export type WorkerConfig = z.infer<typeof workerConfigSchema>;

// The orphan-namespace janitor (a Temporal Schedule the worker keeps up to date at start).
//
// The retention window is the janitor's margin for everything ownership checks cannot see:
// clock skew between the API server and the worker, a workflow being reset or re-started by
// hand, a Temporal namespace migration during which previews are briefly not running, and
// the time people need to look at a failed preview's namespace before it goes. Ownership is
// confirmed through Temporal either way; the floor keeps a typo (`24m` for `24h`) from
// turning every short outage into a deletion.

export const MIN_JANITOR_RETENTION = '10m';
export const MIN_JANITOR_INTERVAL = '1m';

export const janitorConfigSchema = z
  .object({
    /** Off: the worker pauses the schedule (it stays visible, with the reason as its note). */
    enabled: z.boolean().default(true),
    /** How often the schedule runs the janitor. */
    interval: durationAtLeast(MIN_JANITOR_INTERVAL).default('1h'),
    /** Namespaces younger than this (by creationTimestamp) are never touched. */
    retention: durationAtLeast(MIN_JANITOR_RETENTION).default('24h'),
    /** Report what would be deleted (the run's result, logs), delete nothing. */
    dryRun: z.boolean().default(false),
  })
  .strict();

export type JanitorConfig = z.infer<typeof janitorConfigSchema>;

// Lost-delivery recovery (a second Temporal Schedule the worker keeps up to date at start).
// GitHub does not redeliver a failed webhook delivery by itself; a delivery answered 503 while
// Temporal was down stays lost until someone clicks Redeliver. The schedule lists the App's
// recent deliveries and asks GitHub to redeliver each failed one, once.

export const MIN_REDELIVERY_INTERVAL = '1m';
/** GitHub keeps an App's webhook deliveries for 3 days; a failure older than that cannot be redelivered. */
export const MAX_REDELIVERY_LOOK_BACK = '3d';

export const webhookRedeliveryConfigSchema = z
  .object({
    /** Off, or without GitHub App credentials: the worker pauses the schedule (with the reason as its note). */
    enabled: z.boolean().default(true),
    /** How often the schedule looks for failed deliveries. */
    interval: durationAtLeast(MIN_REDELIVERY_INTERVAL).default('10m'),
    /** Failed deliveries older than this are left alone (an event that old is usually stale). */
    lookBack: durationAtMost(MAX_REDELIVERY_LOOK_BACK, positiveDuration).default('1d'),
    /** Redeliveries one run asks for at most (oldest first); the rest wait for the next run. */
    maxPerRun: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

export type WebhookRedeliveryConfig = z.infer<typeof webhookRedeliveryConfigSchema>;

// Optional OpenTelemetry traces. Off unless an OTLP/HTTP endpoint is configured, here or through
// the standard OTEL_* variables (otel-env.ts maps those onto these fields; they win over the
// file and over PREVIEWD_TELEMETRY_*, as env vars win everywhere in previewd's config).

/** Resource attribute keys and values: printable, at most 255 characters (as OTEL_RESOURCE_ATTRIBUTES allows). */
const resourceAttributeText = z.string().max(255);

export const telemetryConfigSchema = z
  .object({
    /** False switches tracing off even with an endpoint (`OTEL_SDK_DISABLED=true`, `OTEL_TRACES_EXPORTER=none`). */
    enabled: z.boolean().default(true),
    /** Base URL of an OTLP/HTTP receiver (`http://otel-collector:4318`); spans go to `<url>/v1/traces`. */
    otlpEndpoint: z.url({ protocol: /^https?$/ }).optional(),
    /** Full URL spans are POSTed to, used as it is; wins over `otlpEndpoint` (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`). */
    otlpTracesEndpoint: z.url({ protocol: /^https?$/ }).optional(),
    /** `service.name` of the spans; each process appends its role (`previewd-worker`, `previewd-ingress`, `previewd-cli`). */
    serviceName: z.string().min(1).default('previewd'),
    /** `deployment.environment.name` of the spans (`production`, `staging`). */
    environment: resourceAttributeText.min(1).optional(),
    /** More resource attributes (`k8s.cluster.name: prod-eu`); they win over the ones previewd sets, `service.name` included. */
    resourceAttributes: z.record(resourceAttributeText.min(1), resourceAttributeText).default({}),
  })
  .strict();

export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;

export const logConfigSchema = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

export type LogConfig = z.infer<typeof logConfigSchema>;
