import { z } from 'zod';

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
