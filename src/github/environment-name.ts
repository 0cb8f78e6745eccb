import type { PreviewRef } from '../../workflows/contract';
import { splitRepository } from './repository-name';

/** What the naming needs to know about a preview. */
export type PreviewIdentity = Pick<PreviewRef, 'repository' | 'prNumber'>;

/**
 * The GitHub deployment environment of one PR's preview: `preview/<repo>/pr-<n>`. One per PR
 * (not per push), so GitHub groups every deployment of the PR and shows the latest one.
 * Lower-cased, because GitHub compares environment names case-insensitively.
 */
export function previewEnvironmentName(preview: PreviewIdentity): string {
  return `preview/${splitRepository(preview.repository).repo.toLowerCase()}/pr-${preview.prNumber}`;
}
