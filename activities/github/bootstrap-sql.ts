import { createHash } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { ApplicationFailure } from '@temporalio/common';
import { repositoryFilePath } from '../../src/config/repository';
import { splitRepository } from '../../src/github';
import { FailureType, type FetchBootstrapSqlInput, type FetchBootstrapSqlResult } from '../../workflows/contract';
import { githubCall, isNotFound } from './github-call';
import type { GitHubContext } from './github-context';

// The schema bootstrap of a preview database: a SQL file of the repository at the PR's head
// commit, read through GitHub's contents API. The size is checked on the metadata before the
// text is taken: GitHub inlines files up to 1 MB in the JSON answer and leaves larger ones out
// (encoding "none"), which are then fetched raw only when they are within the limit.

function refused(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, FailureType.DatabaseBootstrapFailed);
}

interface FileEntry {
  readonly type: string;
  readonly size: number;
  readonly encoding?: string;
  readonly content?: string;
}

function textOf(entry: FileEntry): string | undefined {
  if (entry.encoding !== 'base64' || !entry.content) return undefined;
  return Buffer.from(entry.content, 'base64').toString('utf8');
}

/** The raw media type answers the file's bytes as the body (Octokit hands them over as a string). */
async function rawText(octokit: Octokit, request: { owner: string; repo: string; path: string; ref: string }): Promise<string> {
  const { data } = await octokit.rest.repos.getContent({ ...request, mediaType: { format: 'raw' } });
  if (typeof data !== 'string') throw new Error('GitHub did not answer the raw file content as text');
  return data;
}

export async function fetchBootstrapSql(ctx: GitHubContext, maxBytes: number, input: FetchBootstrapSqlInput): Promise<FetchBootstrapSqlResult> {
  const { path, headSha: ref } = input;
  // Validated at start-up already; checked again because a workflow input can be written by hand.
  const checked = repositoryFilePath.safeParse(path);
  if (!checked.success) throw ApplicationFailure.nonRetryable(`database bootstrap path ${JSON.stringify(String(path).slice(0, 200))} refused: ${checked.error.issues[0]?.message ?? 'invalid'}`, FailureType.ValidationError);
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(ref)) throw ApplicationFailure.nonRetryable(`the bootstrap SQL is read at a commit SHA, got ${JSON.stringify(String(ref).slice(0, 80))}`, FailureType.ValidationError);
  const where = `${input.preview.repository}:${path} at ${ref.slice(0, 12)}`;
  return githubCall(ctx, 'bootstrapFile', input.preview.repository, async (octokit) => {
    const request = { ...splitRepository(input.preview.repository), path, ref };
    let data: unknown;
    try {
      ({ data } = await octokit.rest.repos.getContent(request));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      if (input.ifMissing === 'skip') return { found: false, path, ref };
      // GitHub answers 404 for a repository these credentials cannot read, too.
      throw refused(`the database bootstrap file ${where} does not exist (or previewd's GitHub credentials cannot read the repository's contents)`);
    }
    if (Array.isArray(data) || (data as FileEntry).type !== 'file') throw refused(`the database bootstrap path ${where} is not a file`);
    const entry = data as FileEntry;
    if (entry.size > maxBytes) throw refused(`the database bootstrap file ${where} is ${entry.size} bytes; at most ${maxBytes} are allowed (databases.bootstrap.maxBytes)`);
    const sql = textOf(entry) ?? (entry.size === 0 ? '' : await rawText(octokit, request));
    const bytes = Buffer.byteLength(sql, 'utf8');
    // The file may have been replaced between the two reads only if `ref` were a branch; it is a commit, so this is a safety net.
    if (bytes > maxBytes) throw refused(`the database bootstrap file ${where} is ${bytes} bytes; at most ${maxBytes} are allowed (databases.bootstrap.maxBytes)`);
    return { found: true, path, ref, sql, bytes, sha256: createHash('sha256').update(sql, 'utf8').digest('hex') };
  });
}
