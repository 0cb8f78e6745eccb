import type { ImageSelector, ResolveImagesResult } from '../../workflows/contract';
import type { ImageMode, ServiceConfig } from '../config/repository';

// Which image each service of a deploy round runs, from the repository's image mode and the
// digests its lock file pins (resolved once per head by an activity, so this stays pure).

export type ImagePlan = { readonly images?: Readonly<Record<string, ImageSelector>> } | { readonly refusal: string };

/**
 * `tag`: nothing to pass (the head SHA tag is the default). `digestLock`: the pinned digests of
 * the services being deployed; the others run the head SHA tag. `requireDigests`: every deployed
 * service whose image previewd sets must be pinned, or nothing is deployed.
 */
export function planImages(mode: ImageMode, services: readonly ServiceConfig[], resolved: ResolveImagesResult | undefined): ImagePlan {
  if (mode === 'tag' || !resolved) return {};
  const images: Record<string, ImageSelector> = {};
  const unpinned: string[] = [];
  for (const service of services) {
    const pinned = resolved.images[service.name];
    if (pinned) images[service.name] = { digest: pinned.digest };
    else if (service.source.image !== undefined) unpinned.push(service.name);
  }
  if (mode === 'requireDigests' && unpinned.length > 0) {
    return { refusal: `images.mode requireDigests: ${resolved.lockFile} at ${resolved.headSha} pins no digest for ${unpinned.join(', ')} (tags are refused)` };
  }
  return { images };
}
