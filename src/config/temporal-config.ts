import { z } from 'zod';

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
  })
  .strict();

export type TemporalConfig = z.infer<typeof temporalConfigSchema>;
export type TemporalTlsConfig = z.infer<typeof temporalTlsSchema>;
