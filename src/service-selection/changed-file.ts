/** A file in a PR's diff, as GitHub's "list pull request files" reports it. */
export interface ChangedFile {
  readonly filename: string;
  readonly status?: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  /** Set for renames: the old path counts too, since moving code out of a service affects it. */
  readonly previousFilename?: string;
  /** Diff stats, for the AI prompt. */
  readonly additions?: number;
  readonly deletions?: number;
}

/** Every path a change touches: renamed files count at both their old and new location. */
export function touchedPaths(files: readonly ChangedFile[]): string[] {
  return files.flatMap((f) => (f.previousFilename ? [f.filename, f.previousFilename] : [f.filename]));
}
