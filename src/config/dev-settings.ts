import { z } from 'zod';

// Settings of `npm run dev` alone (where its state lives, which ports it takes, which Temporal
// CLI it runs). Not part of the product config: a deployed worker never reads them.

export const devSettingsSchema = z
  .object({
    /** Temporal's SQLite file, logs and the generated dev config live here. */
    stateDir: z.string().min(1).default('.previewd'),
    /** Where `npm run provision` cached the Temporal CLI. */
    cacheDir: z.string().min(1),
    /** An explicit Temporal CLI; otherwise PATH, then the provision cache. */
    temporalCli: z.string().min(1).optional(),
    /** PATH, searched for `temporal`. */
    searchPath: z.string().default(''),
    temporalPort: z.number().int().min(1).max(65535).default(7233),
    uiPort: z.number().int().min(1).max(65535).default(8233),
  })
  .strict();

export type DevSettings = z.infer<typeof devSettingsSchema>;
