import { z } from 'zod';
import { durationMs, positiveDuration } from './durations';

// Per-repository configuration: what a preview of this repository deploys and how long it lives.
// Everything that decides *where* things go (project, cluster, namespace prefix) is operator
// configuration, never PR data; this schema holds only what the operator declares per repo.

const dns1123Label = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label (lowercase letters, digits, dashes)');

/** How Argo CD renders a service and where the PR's image goes into it. */
export const serviceSourceSchema = z
  .object({
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

export const serviceConfigSchema = z
  .object({
    name: dns1123Label,
    /** Rollout phase (seed 000 uses 610…650): lower phases deploy and become ready first. */
    phase: z.number().int().min(0).max(999).default(650),
    /** Globs over changed file paths that make this service affected. */
    paths: z.array(z.string().min(1)).default([]),
    dependsOn: z.array(dns1123Label).default([]),
    alwaysDeploy: z.boolean().default(false),
    /** Exposed services get a route `<svc>-pr-<n>.<env>.<domain>` to this port. */
    expose: z.object({ port: z.number().int().min(1).max(65535) }).strict().optional(),
    source: serviceSourceSchema,
  })
  .strict();

// Durations are checked here, at start-up: the workflow resolves them again at its start, and a
// bad value found there would fail every preview of the repository instead of the process.
export const ttlPolicySchema = z
  .object({
    default: positiveDuration.default('4h'),
    /** TTL when the PR carries `extendedLabel`. */
    extended: positiveDuration.default('24h'),
    extendedLabel: z.string().min(1).default('preview/do-not-expire'),
    /** Hard cap measured from creation; nothing (extend, label) goes past it. */
    max: positiveDuration.default('7d'),
  })
  .strict()
  .superRefine((ttl, ctx) => {
    const ms = (text: string): number => {
      try {
        return durationMs(text);
      } catch {
        return Number.NaN; // already reported by the field's own check
      }
    };
    for (const key of ['default', 'extended'] as const) {
      if (ms(ttl[key]) > ms(ttl.max)) ctx.addIssue({ code: 'custom', path: [key], message: `${ttl[key]} is longer than ttl.max (${ttl.max})` });
    }
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

export const repositoryConfigSchema = z
  .object({
    /** `owner/repo` as GitHub spells it. */
    fullName: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/repo'),
    /** Short operator-chosen key that goes into namespace names (`pr-<key>-<n>`). */
    key: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$/, 'must be 1-20 chars of [a-z0-9-], not starting or ending with a dash'),
    scope: z.enum(['all', 'affected']).default('affected'),
    services: z.array(serviceConfigSchema).min(1),
    ttl: ttlPolicySchema.default(ttlPolicySchema.parse({})),
    trigger: triggerPolicySchema.default(triggerPolicySchema.parse({})),
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
  });

export type ServiceSource = z.infer<typeof serviceSourceSchema>;
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
export type TtlPolicy = z.infer<typeof ttlPolicySchema>;
export type TriggerPolicy = z.infer<typeof triggerPolicySchema>;
export type RepositoryConfig = z.infer<typeof repositoryConfigSchema>;
