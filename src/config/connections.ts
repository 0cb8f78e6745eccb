import { z } from 'zod';
import { positiveDuration } from './durations';

// The services previewd talks to, and how: Temporal (self-hosted with mTLS, Temporal Cloud with
// an API key, or the dev server on localhost), GitHub (github.com or Enterprise Server) and the
// optional OpenAI-compatible model.

// Where the worker, the ingress and previewctl find Temporal. Self-hosted with mTLS, Temporal
// Cloud with an API key, or the dev server on localhost without either.

export const temporalTlsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** SNI override when a proxy sits in front of the frontend. */
    serverName: z.string().min(1).optional(),
    /** PEM files; without `caFile` the system roots are trusted (Temporal Cloud). */
    caFile: z.string().min(1).optional(),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((tls, ctx) => {
    if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: [tls.certFile === undefined ? 'certFile' : 'keyFile'], message: 'mTLS needs both certFile and keyFile' });
    }
  });

export const temporalConfigSchema = z
  .object({
    /** `host:port` of the Temporal frontend. */
    address: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port').default('localhost:7233'),
    namespace: z.string().min(1).default('default'),
    taskQueue: z.string().min(1).default('previewd'),
    tls: temporalTlsSchema.prefault({}),
    /** Temporal Cloud API key; sent as a bearer token, which requires TLS. */
    apiKey: z.string().min(1).optional(),
    /** How long the ingress waits for Temporal to accept an event before answering 503. */
    acceptTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
    /**
     * The worker registers missing search attributes itself at start (self-hosted servers, with
     * operator rights). Off by default: registering is a namespace-wide change an operator
     * should make on purpose, and the worker's credentials usually should not allow it.
     */
    registerSearchAttributes: z.boolean().default(false),
  })
  .strict();

export type TemporalConfig = z.infer<typeof temporalConfigSchema>;
export type TemporalTlsConfig = z.infer<typeof temporalTlsSchema>;

// GitHub: where its API is (github.com or Enterprise Server), which secrets sign webhooks, and
// how previewd authenticates for reporting.

const appAuthSchema = z
  .object({
    type: z.literal('app'),
    appId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'must be a numeric app id')]),
    /** PEM private key of the GitHub App. */
    privateKey: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key' }),
    /** Absent: looked up per repository, for an App installed on several owners. */
    installationId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'must be a numeric installation id')]).optional(),
  })
  .strict();

const tokenAuthSchema = z
  .object({
    type: z.literal('token'),
    token: z.string().min(1),
  })
  .strict();

export const githubAuthSchema = z.discriminatedUnion('type', [appAuthSchema, tokenAuthSchema]);

export const githubConfigSchema = z
  .object({
    /** `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server. */
    apiBaseUrl: z.url({ protocol: /^https?$/ }).default('https://api.github.com'),
    /**
     * Webhook secrets, current first. During a rotation list the new and the old secret: a
     * delivery signed with any of them is accepted.
     */
    webhookSecrets: z.array(z.string().min(8, 'must be at least 8 characters')).default([]),
    auth: githubAuthSchema.optional(),
  })
  .strict();

export type GitHubAuth = z.infer<typeof githubAuthSchema>;
export type GitHubConfig = z.infer<typeof githubConfigSchema>;

// Optional AI service choice through an OpenAI-compatible API. Never required: any failure
// falls back to the static choice, so a disabled or unreachable model only loses precision.

const aiCacheSchema = z.object({ enabled: z.boolean().default(true), ttl: positiveDuration.default('1h') }).strict();

export const aiConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.openai.com/v1'),
    model: z.string().min(1).default('gpt-4o-mini'),
    apiKey: z.string().min(1).optional(),
    /**
     * Seed 004: answers are cached per diff hash for an hour, shared by every worker through
     * Temporal (workflows/contract/ai-answer-cache.ts). Entries live in Temporal's history, so
     * one outlives the namespace's retention period at most.
     */
    cache: aiCacheSchema.prefault({}),
    timeoutMs: z.number().int().min(100).max(300_000).default(20_000),
    /** Seed 004: at most 100 model calls per minute. */
    perMinute: z.number().int().min(1).default(100),
  })
  .strict();

export type AiConfig = z.infer<typeof aiConfigSchema>;
