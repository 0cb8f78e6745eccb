import { splitRepository, type PreviewIdentity } from '../../src/github';
import type { ChangedFile } from '../../src/service-selection';
import { githubCall } from './github-call';
import type { GitHubContext } from './github-context';

/** GitHub lists at most 3,000 files of a pull request; past that the list is incomplete. */
export const GITHUB_CHANGED_FILES_CAP = 3_000;

export interface ChangedFilesResult {
  readonly files: ChangedFile[];
  /** The PR changes more files than GitHub lists: selection by path cannot be trusted. */
  readonly truncated: boolean;
}

export function listChangedFiles(ctx: GitHubContext, preview: PreviewIdentity): Promise<ChangedFilesResult> {
  return githubCall(ctx, 'changedFiles', preview.repository, async (octokit) => {
    const files: ChangedFile[] = [];
    const pages = octokit.paginate.iterator(octokit.rest.pulls.listFiles, { ...splitRepository(preview.repository), pull_number: preview.prNumber, per_page: 100 });
    for await (const { data } of pages) {
      for (const f of data) {
        files.push({
          filename: f.filename,
          status: f.status,
          additions: f.additions,
          deletions: f.deletions,
          ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
        });
      }
      if (files.length >= GITHUB_CHANGED_FILES_CAP) break;
    }
    return { files: files.slice(0, GITHUB_CHANGED_FILES_CAP), truncated: files.length >= GITHUB_CHANGED_FILES_CAP };
  });
}
