import type { PreviewIdentity } from './environment-name';

// The sticky comment is found again by a hidden HTML comment on its first line. Matching only
// at the very start of the body means a person quoting the comment (`> <!-- … -->`) or pasting
// the marker mid-text never turns their comment into the one previewd rewrites.

export function stickyCommentMarker(preview: PreviewIdentity): string {
  return `<!-- previewd:sticky-comment ${preview.repository.toLowerCase()}#${preview.prNumber} -->`;
}

export function isStickyComment(body: string | null | undefined, preview: PreviewIdentity): boolean {
  return typeof body === 'string' && body.startsWith(stickyCommentMarker(preview));
}
