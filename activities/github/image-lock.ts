import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type ResolveImagesInput, type ResolveImagesResult } from '../../workflows/contract';
import { splitRepository } from '../../src/github';
import { checkImageLock, ImageLockError, parseImageLock } from '../../src/images';
import { githubCall, isNotFound } from './github-call';
import type { GitHubContext } from './github-context';

// Reads the PR's digest lock file at the head SHA through GitHub's contents API and checks it.
// The result lands in workflow history: a retry or a replay never reads the file again. Every
// refusal is non-retryable (another read returns the same commit's same file) and says what to
// fix; only GitHub's own outages and rate limits are retried.

function refuse(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, FailureType.ImageLockInvalid);
}

interface FileContent {
  readonly type: string;
  readonly size: number;
  readonly sha: string;
  readonly encoding?: string;
  readonly content?: string;
}

/** The contents API's answer for a path: a file, a directory listing, a symlink or a submodule. */
function asFile(data: unknown, file: string, headSha: string, maxBytes: number): FileContent {
  if (Array.isArray(data)) throw refuse(`${file} at ${headSha} is a directory, not the image lock file`);
  const entry = data as FileContent;
  if (entry.type !== 'file') throw refuse(`${file} at ${headSha} is a ${entry.type}, not a regular file (symlinks and submodules are not followed)`);
  if (entry.size > maxBytes) throw refuse(`${file} at ${headSha} is ${entry.size} bytes; image lock files may have at most ${maxBytes} (images.maxLockBytes)`);
  return entry;
}

function decode(entry: FileContent, file: string, maxBytes: number): string {
  if (entry.encoding !== 'base64' || entry.content === undefined) throw refuse(`${file}: GitHub did not return its content (encoding ${entry.encoding ?? 'none'})`);
  const bytes = Buffer.from(entry.content, 'base64');
  if (bytes.length > maxBytes) throw refuse(`${file} is ${bytes.length} bytes; image lock files may have at most ${maxBytes} (images.maxLockBytes)`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw refuse(`${file} is not UTF-8 text`);
  }
}

function fetchLockFile(ctx: GitHubContext, input: ResolveImagesInput): Promise<FileContent> {
  const { lockFile, maxLockBytes, mode } = input.selection;
  return githubCall(ctx, 'lockFile', input.preview.repository, async (octokit) => {
    try {
      const { data } = await octokit.rest.repos.getContent({ ...splitRepository(input.preview.repository), path: lockFile, ref: input.headSha });
      return asFile(data, lockFile, input.headSha, maxLockBytes);
    } catch (err) {
      // GitHub answers 404 for a path that does not exist at that commit (and for a repository
      // these credentials cannot see, which the message names too).
      if (isNotFound(err)) {
        throw refuse(`no image lock file ${lockFile} at ${input.headSha}: images.mode ${mode} needs one (if it is there, previewd's GitHub access needs "Contents: Read-only")`);
      }
      throw err;
    }
  });
}

export async function resolveImages(ctx: GitHubContext, input: ResolveImagesInput): Promise<ResolveImagesResult> {
  const { lockFile, maxLockBytes } = input.selection;
  const entry = await fetchLockFile(ctx, input);
  try {
    const entries = parseImageLock(decode(entry, lockFile, maxLockBytes), lockFile);
    const images = checkImageLock(entries, input.services, lockFile);
    return { lockFile, headSha: input.headSha, blobSha: entry.sha, images };
  } catch (err) {
    if (err instanceof ImageLockError) throw refuse(`${err.message} (at ${input.headSha})`);
    throw err;
  }
}
