import { REPOSITORY_NAME } from '../config/repository-name';

// Every event of a PR must reach the same run, so the id is a function of the PR's identity
// alone: never of the branch, title, head SHA or delivery. GitHub treats owner and repository
// names case-insensitively, so two spellings of one repository must not make two previews.

export interface PullRequestRef {
  /** `owner/repo`. */
  readonly repository: string;
  readonly number: number;
}

const PREFIX = 'preview:';

export class InvalidPullRequestRefError extends Error {
  override readonly name = 'InvalidPullRequestRefError';
}

function checkRef(ref: PullRequestRef): void {
  if (!REPOSITORY_NAME.test(ref.repository)) throw new InvalidPullRequestRefError(`repository "${ref.repository}" is not owner/repo`);
  if (!Number.isSafeInteger(ref.number) || ref.number < 1) throw new InvalidPullRequestRefError(`pull request number ${String(ref.number)} is not a positive integer`);
}

/** `preview:owner/repo#123`, lower-cased. */
export function previewWorkflowId(ref: PullRequestRef): string {
  checkRef(ref);
  return `${PREFIX}${ref.repository.toLowerCase()}#${ref.number}`;
}

/** Reads `owner/repo#123` (what people type, and what `previewWorkflowId` wraps). */
export function parsePullRequestRef(text: string): PullRequestRef {
  const bare = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text;
  const match = /^([^#\s]+)#(\d+)$/.exec(bare.trim());
  if (!match) throw new InvalidPullRequestRefError(`"${text}" is not owner/repo#number`);
  const ref = { repository: match[1] as string, number: Number(match[2]) };
  checkRef(ref);
  return ref;
}
