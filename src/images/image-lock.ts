import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { ImageMode, ServiceConfig } from '../config/repository';

// The digest lock file (seed 000 §5/§6 "Digest pinning"): the PR's CI writes the digests it
// pushed into a file under deploy/preview/, and the preview deploys exactly those. The file is
// PR-controlled input, so it is read as hostile: bounded in size, YAML without aliases, a strict
// schema, and every entry checked against the operator's configuration. It may choose the
// digest a configured service runs; it can never name another image repository, a new service,
// a namespace or a project, because none of those are read from it.
//
//   images:
//     api: ghcr.io/acme/api@sha256:<64 hex>
//     web: ghcr.io/acme/web@sha256:<64 hex>

/** The content-addressed digests OCI registries use (sha256, or sha512), in full. */
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const SERVICE_KEY = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** How many problems a refusal lists before it says "and N more". */
const LISTED = 5;

const lockSchema = z
  .object({
    images: z.record(z.string(), z.string().max(1_024)),
  })
  .strict();

/** A lock file previewd refuses; the message is for the PR author and names every problem. */
export class ImageLockError extends Error {
  override readonly name = 'ImageLockError';
}

/** service → `{ digest }` for every service the lock pins. */
export type LockedImages = Record<string, { readonly digest: string }>;

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 79)}…` : text);
}

function listed(problems: readonly string[]): string {
  const shown = problems.slice(0, LISTED).join('; ');
  return problems.length > LISTED ? `${shown}; and ${problems.length - LISTED} more` : shown;
}

/** YAML (or JSON) text → the lock's entries; refuses what is not the documented shape. */
export function parseImageLock(text: string, file: string): Record<string, string> {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) throw new ImageLockError(`${file} is not valid YAML: ${yamlError.message.split('\n')[0] ?? 'parse error'}`);
  let value: unknown;
  try {
    // Aliases are refused outright: a lock file has no use for them, and they are how YAML bombs expand.
    value = doc.toJS({ maxAliasCount: 0 });
  } catch (err) {
    throw new ImageLockError(`${file} is not a plain YAML document: ${(err as Error).message}`);
  }
  const result = lockSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`);
    throw new ImageLockError(`${file} does not have the shape "images: {<service>: <image>@sha256:<digest>}": ${listed(problems)}`);
  }
  return result.data.images;
}

/** The image repository previewd puts the PR's tag or digest on for this service, if any. */
export function configuredImage(service: ServiceConfig): string | undefined {
  return service.source.image;
}

/**
 * Checks every entry against the configured services: a known service, whose image previewd
 * sets, pinned as `<that image>@<digest>`. All problems are reported at once.
 */
export function checkImageLock(entries: Record<string, string>, services: readonly ServiceConfig[], file: string): LockedImages {
  const byName = new Map(services.map((s) => [s.name, s]));
  const problems: string[] = [];
  const locked: LockedImages = {};
  for (const [name, reference] of Object.entries(entries)) {
    const service = SERVICE_KEY.test(name) ? byName.get(name) : undefined;
    if (!service) {
      problems.push(`unknown service ${quote(name)} (configured: ${services.map((s) => s.name).join(', ')})`);
      continue;
    }
    const image = configuredImage(service);
    if (image === undefined) {
      problems.push(`service ${name} takes its images from its own bundle; the lock cannot pin it`);
      continue;
    }
    const at = reference.lastIndexOf('@');
    const repository = at < 0 ? reference : reference.slice(0, at);
    const digest = at < 0 ? '' : reference.slice(at + 1);
    if (repository !== image) {
      problems.push(`${name}: ${quote(reference)} is not ${image}@<digest> (the image is the operator's; the lock only pins its digest)`);
    } else if (!DIGEST.test(digest)) {
      problems.push(`${name}: ${quote(digest || reference)} is not a digest (sha256:<64 hex> or sha512:<128 hex>)`);
    } else {
      locked[name] = { digest };
    }
  }
  if (problems.length > 0) throw new ImageLockError(`${file} is refused: ${listed(problems)}`);
  return locked;
}

/** Why a mode reads a lock file at all. */
export function readsLockFile(mode: ImageMode): boolean {
  return mode !== 'tag';
}
