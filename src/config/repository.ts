import { z } from 'zod';
import { DNS_LABEL, dnsLabel } from './cluster';
import { nonNegativeDuration, positiveDuration } from './duration-schemas';
import { GATE_DEFAULTS, LIFECYCLE_DEFAULTS, TTL_POLICY_DEFAULTS, ttlLongerThanMax } from './lifecycle-defaults';
import { REPOSITORY_NAME } from './repository-name';

// Per-repository configuration: what a preview of this repository deploys and how long it lives,
// plus the operator-wide defaults and lifecycle knobs the workflow resolves. Everything that
// decides *where* things go (project, cluster, namespace prefix) is operator configuration,
// never PR data; these schemas hold only what the operator declares. The TTL and lifecycle
// defaults are lifecycle-defaults.ts's constants; the workflow bundle must not import this file
// by value (zod would be instantiated in every workflow sandbox): it takes types only.

export { REPOSITORY_NAME };

const serviceName = dnsLabel(40);

/**
 * A path inside a git repository as configured by the operator: relative, `/`-separated, no
 * `.` or `..` segments, so it cannot climb out of the repository or name the root.
 */
export const repositoryPath = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/, 'must be a relative path such as deploy/preview (no leading /, no . or .. segments)')
  .refine((path) => !path.split('/').some((segment) => segment === '.' || segment === '..'), 'must not contain . or .. segments');

/** How Argo CD renders a service from the apps-tier inventory (GitOps), and where the PR's image goes into it. */
const gitopsSourceSchema = z
  .object({
    /** `gitops` (the default): charts or overlays the operator owns, at `targetRevision`. */
    type: z.literal('gitops').optional(),
    repoURL: z.string().min(1),
    path: z.string().min(1),
    /** Git revision of the deployment manifests (not the PR head): the apps tier inventory. */
    targetRevision: z.string().min(1).default('HEAD'),
    renderer: z.enum(['helm', 'kustomize']).default('helm'),
    /** Image repository; the PR head SHA (or a digest) becomes its tag. */
    image: z.string().min(1),
    /** Helm parameter that receives the tag (helm renderer only). */
    imageTagParameter: z.string().min(1).default('image.tag'),
  })
  .strict();

/**
 * Seed 000 Option A (smoke previews): the PR's own Kustomize bundle at the head SHA. The
 * repository URL and the path are the operator's, never the PR payload's; the revision is
 * always the head SHA, and the AppProject stays the fixed one.
 */
const prBundleSourceSchema = z
  .object({
    type: z.literal('prBundle'),
    /** Clone URL of the PR's repository as Argo CD reaches it (it must be in the AppProject's sourceRepos). */
    repoURL: z.string().min(1),
    /** The bundle's folder in the PR's repository (it must hold a kustomization.yaml). */
    path: repositoryPath.default('deploy/preview'),
    /** Image name in the bundle that receives the PR's tag or digest (a Kustomize `images` override); absent: none. */
    image: z.string().min(1).optional(),
  })
  .strict();

/** Where a service's manifests come from: the GitOps inventory (default) or the PR's own bundle. */
export const serviceSourceSchema = z.discriminatedUnion('type', [gitopsSourceSchema, prBundleSourceSchema]);

/**
 * Which image each service runs (seed 000 §5/§6 "Digest pinning"):
 * - `tag`: the head SHA as the image tag (what CI pushed for the commit);
 * - `digestLock`: a lock file in the PR at the head SHA pins services to `image@sha256:…`
 *   digests; services it does not list run the head SHA tag;
 * - `requireDigests`: the same lock file, and every deployed service must be pinned there.
 * The lock may choose digests, never images of other repositories, names or namespaces.
 */
export const imageSelectionSchema = z
  .object({
    mode: z.enum(['tag', 'digestLock', 'requireDigests']).default('tag'),
    /** The lock file's path in the PR's repository, read at the head SHA through GitHub's contents API. */
    lockFile: repositoryPath.default('deploy/preview/images.lock.yaml'),
    /** A larger lock file is refused unread (it is PR-controlled input). */
    maxLockBytes: z.number().int().min(64).max(1_000_000).default(65_536),
  })
  .strict();

export const serviceConfigSchema = z
  .object({
    name: serviceName,
    /** Rollout phase (seed 000 uses 610…650): lower phases deploy and become ready first. */
    phase: z.number().int().min(0).max(999).default(650),
    /** Globs over changed file paths that make this service affected. */
    paths: z.array(z.string().min(1)).default([]),
    dependsOn: z.array(serviceName).default([]),
    alwaysDeploy: z.boolean().default(false),
    /** Exposed services get a route `<svc>-pr-<n>.<env>.<domain>` to this port. */
    expose: z.object({ port: z.number().int().min(1).max(65535) }).strict().optional(),
    source: serviceSourceSchema,
  })
  .strict();

// Durations are checked here, at start-up: the workflow resolves them again at its start
// (src/lifecycle/ttl-policy.ts, the same rules without zod), and a bad value found there would
// fail every preview of the repository instead of the process.
// Seed 004's defaults: 4 h idle, 24 h with the do-not-expire label, 7 d absolute.
export const ttlPolicySchema = z
  .object({
    default: positiveDuration.default(TTL_POLICY_DEFAULTS.default),
    /** TTL when the PR carries `extendedLabel`. */
    extended: positiveDuration.default(TTL_POLICY_DEFAULTS.extended),
    extendedLabel: z.string().min(1).default(TTL_POLICY_DEFAULTS.extendedLabel),
    /** Hard cap measured from creation; nothing (extend, label) goes past it. */
    max: positiveDuration.default(TTL_POLICY_DEFAULTS.max),
  })
  .strict()
  .superRefine((ttl, ctx) => {
    for (const { key, message } of ttlLongerThanMax(ttl)) ctx.addIssue({ code: 'custom', path: [key], message });
  });

export const triggerPolicySchema = z
  .object({
    /** `always`: every PR gets a preview; `label`: only PRs carrying `label`. */
    mode: z.enum(['always', 'label']).default('label'),
    label: z.string().min(1).default('preview'),
    drafts: z.boolean().default(false),
    forks: z.boolean().default(false),
  })
  .strict();

/**
 * A file in the repository, relative to its root: what GitHub's contents API takes as a path.
 * No `..`, `.` or empty segments and no leading slash, so it can only name a file inside the repository.
 */
export const repositoryFilePath = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[^\u0000-\u001f\u007f\\]+$/, 'must not contain control characters or backslashes')
  .refine((path) => path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'), {
    message: 'must be a path relative to the repository root, without empty, "." or ".." segments',
  });

/**
 * A per-preview database on the shared server (`databases` in the config). The schema bootstrap
 * is a SQL file in the repository, read at the PR's head SHA; what a missing file means is the
 * operator's choice: a clear failure of the preview (default), or no bootstrap.
 */
export const repositoryDatabaseSchema = z
  .object({
    enabled: z.boolean().default(true),
    bootstrap: z
      .object({
        path: repositoryFilePath,
        ifMissing: z.enum(['fail', 'skip']).default('fail'),
      })
      .strict()
      .optional(),
  })
  .strict();

/** GitHub caps a check run's name at this many characters; a longer name can never match. */
const CHECK_NAME_MAX = 100;

/**
 * `gate`: the deploy round waits until these checks of the head SHA succeed (a check run of
 * that name, or a commit status of that context). Only named checks for now: branch
 * protection's required checks (`requiredChecks: true`) are read through the administration
 * API, which previewd does not call yet, so that form is refused with a clear message instead
 * of being accepted and ignored.
 */
export const gateSchema = z
  .object({
    checks: z
      .array(z.string().trim().min(1, 'a check name cannot be empty').max(CHECK_NAME_MAX, `a check name has at most ${CHECK_NAME_MAX} characters`))
      .min(1, 'list at least one check name')
      .optional(),
    requiredChecks: z.boolean().optional(),
    /** How long the round waits for the checks before it ends Failed, naming those still missing. */
    timeout: positiveDuration.default(GATE_DEFAULTS.timeout),
    /** The bounded poll: the workflow reads the checks again after this even when no webhook woke it. */
    pollInterval: positiveDuration.default(GATE_DEFAULTS.pollInterval),
  })
  .strict()
  .superRefine((gate, ctx) => {
    if (gate.requiredChecks === true) {
      ctx.addIssue({ code: 'custom', path: ['requiredChecks'], message: "requiredChecks is not supported yet (it needs branch protection's administration API): list the checks by name in gate.checks" });
    } else if (gate.checks === undefined) {
      ctx.addIssue({ code: 'custom', path: ['checks'], message: 'gate needs checks: [names…], the check runs or commit status contexts to wait for' });
    }
  });

const REPO_KEY_RULE = 'must be 1-20 chars of [a-z0-9-], not starting or ending with a dash';

/**
 * Operator knobs of the lifecycle workflow itself (not per repository). They travel in each
 * workflow's input, so a run keeps the values it started with, also across continue-as-new.
 */
export const lifecycleConfigSchema = z
  .object({
    /** How long one rollout phase may take to become ready before the preview is Degraded. */
    readinessTimeout: positiveDuration.default(LIFECYCLE_DEFAULTS.readinessTimeout),
    /**
     * Longest single readiness wait. The workflow waits in slices so that a newer head SHA is
     * noticed within one slice instead of after the whole readiness deadline.
     */
    readinessSlice: positiveDuration.default(LIFECYCLE_DEFAULTS.readinessSlice),
    /** Continue-as-new after this many handled messages, even if the server has not suggested it. */
    continueAsNewAfterEvents: z.number().int().min(1).default(LIFECYCLE_DEFAULTS.continueAsNewAfterEvents),
    /** How many delivery ids are remembered for redelivery detection. */
    deliveryMemory: z.number().int().min(1).default(LIFECYCLE_DEFAULTS.deliveryMemory),
    /** How many recent events the status query keeps. */
    recentEvents: z.number().int().min(1).default(LIFECYCLE_DEFAULTS.recentEvents),
    /**
     * How long a run stays after its preview was torn down (closed PR, `/preview destroy`,
     * trigger label removed, expiry): it answers redeliveries as duplicates and brings the
     * preview up again on a legitimate creating event, then ends. GitHub lets people redeliver
     * deliveries of the past 3 days by hand, so 3 days covers every redelivery. `0s`: the run
     * ends right after the teardown (and the final report), as before this option existed.
     */
    retainAfterTeardown: nonNegativeDuration.default(LIFECYCLE_DEFAULTS.retainAfterTeardown),
    /**
     * A report GitHub did not take (an outage longer than the report's own retries) is offered
     * again after this, doubling up to `reportRetryMax`, for at most a day: the PR ends up
     * showing the preview's current phase once GitHub is back, the final one included.
     */
    reportRetry: positiveDuration.default(LIFECYCLE_DEFAULTS.reportRetry),
    reportRetryMax: positiveDuration.default(LIFECYCLE_DEFAULTS.reportRetryMax),
  })
  .strict();

export const repositoryConfigSchema = z
  .object({
    /** `owner/repo` as GitHub spells it. */
    fullName: z.string().regex(REPOSITORY_NAME, 'must be owner/repo'),
    /** Short operator-chosen key that goes into namespace names (`pr-<key>-<n>`). */
    key: z.string().max(20, REPO_KEY_RULE).regex(DNS_LABEL, REPO_KEY_RULE),
    scope: z.enum(['all', 'affected']).default('affected'),
    services: z.array(serviceConfigSchema).min(1),
    /** Which image each service runs; absent means `mode: tag` (a workflow input from before this key has none). */
    images: imageSelectionSchema.optional(),
    ttl: ttlPolicySchema.default(ttlPolicySchema.parse({})),
    trigger: triggerPolicySchema.default(triggerPolicySchema.parse({})),
    /** Opt-in: a database per preview on the shared server; absent: none. */
    database: repositoryDatabaseSchema.optional(),
    /** Opt-in: wait for CI before deploying each head; absent: deploy at once, as before this key. */
    gate: gateSchema.optional(),
  })
  .strict()
  .superRefine((repo, ctx) => {
    const names = new Set(repo.services.map((s) => s.name));
    repo.services.forEach((svc, i) => {
      svc.dependsOn.forEach((dep, j) => {
        if (!names.has(dep)) ctx.addIssue({ code: 'custom', path: ['services', i, 'dependsOn', j], message: `unknown service "${dep}"` });
      });
    });
    if (names.size !== repo.services.length) ctx.addIssue({ code: 'custom', path: ['services'], message: 'service names must be unique' });
    if (repo.images?.mode === 'requireDigests') {
      repo.services.forEach((svc, i) => {
        if (svc.source.image === undefined) {
          ctx.addIssue({ code: 'custom', path: ['services', i, 'source', 'image'], message: `images.mode requireDigests needs the image previewd pins for ${svc.name} (a bundle's own images cannot be checked)` });
        }
      });
    }
  });

/**
 * Operator-wide TTL and trigger policy. A repository that omits a key of `ttl` or `trigger`
 * inherits it from here; keys a repository sets win. Without this section the schemas'
 * defaults apply (seed 004: 4 h / 24 h / 7 d; label mode with `preview`, no drafts, no forks).
 */
export const repositoryDefaultsSchema = z
  .object({
    ttl: ttlPolicySchema.prefault({}),
    trigger: triggerPolicySchema.prefault({}),
  })
  .strict();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Fills each raw repository's `ttl` and `trigger` from the raw defaults, before validation, so
 * that a mistake in either still fails with the path of the field where it was written.
 */
export function inheritRepositoryDefaults(raw: unknown): unknown {
  if (!isRecord(raw) || !Array.isArray(raw.repositories)) return raw;
  const defaults = isRecord(raw.defaults) ? raw.defaults : {};
  const inherit = (section: 'ttl' | 'trigger', repo: Record<string, unknown>) => {
    const base = defaults[section];
    const own = repo[section];
    if (!isRecord(base)) return own;
    return isRecord(own) ? { ...base, ...own } : own === undefined ? { ...base } : own;
  };
  const repositories = raw.repositories.map((repo: unknown) => {
    if (!isRecord(repo)) return repo;
    const ttl = inherit('ttl', repo);
    const trigger = inherit('trigger', repo);
    return { ...repo, ...(ttl !== undefined && { ttl }), ...(trigger !== undefined && { trigger }) };
  });
  return { ...raw, repositories };
}

export type ServiceSource = z.infer<typeof serviceSourceSchema>;
export type GitopsSource = z.infer<typeof gitopsSourceSchema>;
export type PrBundleSource = z.infer<typeof prBundleSourceSchema>;
export type ImageSelection = z.infer<typeof imageSelectionSchema>;
export type ImageMode = ImageSelection['mode'];
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
export type TtlPolicy = z.infer<typeof ttlPolicySchema>;
/** A TTL policy as written (every key optional; the schema supplies the defaults). */
export type TtlPolicyInput = z.input<typeof ttlPolicySchema>;
export type TriggerPolicy = z.infer<typeof triggerPolicySchema>;
export type RepositoryConfig = z.infer<typeof repositoryConfigSchema>;
export type GateConfig = z.infer<typeof gateSchema>;
export type RepositoryDatabase = z.infer<typeof repositoryDatabaseSchema>;
export type RepositoryDefaults = z.infer<typeof repositoryDefaultsSchema>;
export type LifecycleConfig = z.infer<typeof lifecycleConfigSchema>;
/** The workflow input's `options`: the `lifecycle` section as written, every key optional. */
export type LifecycleOptions = z.input<typeof lifecycleConfigSchema>;
