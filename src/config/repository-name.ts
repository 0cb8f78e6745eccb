// Kept out of repository.ts (which builds zod schemas) because the workflow bundle checks
// repository names too (workflow ids), and zod must stay out of that bundle.

/** `owner/repo` as GitHub spells it. */
export const REPOSITORY_NAME = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;
