import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where dev mode finds the Temporal CLI: an explicit path, then PATH, then what
 * `npm run provision` cached. Returns undefined when none exists, so the caller can explain.
 */
export function findTemporalCli(opts: { explicit?: string; pathEnv?: string; cacheDir: string }): string | undefined {
  if (opts.explicit) return opts.explicit;
  for (const dir of (opts.pathEnv ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'temporal'))) return join(dir, 'temporal');
  }
  const cached = join(opts.cacheDir, 'temporal', 'paths.json');
  if (!existsSync(cached)) return undefined;
  const { temporalCli } = JSON.parse(readFileSync(cached, 'utf8')) as { temporalCli?: string };
  return temporalCli && temporalCli !== 'sdk-download' && existsSync(temporalCli) ? temporalCli : undefined;
}
