/**
 * Which preview an operation is about. `repoKey` is the operator-configured key of the
 * repository (`RepositoryConfig.key`), never a name taken from the PR; `repository` is the
 * `owner/repo` spelling, used only in annotations for people to read.
 */
export interface PreviewRef {
  readonly repository: string;
  readonly repoKey: string;
  readonly prNumber: number;
}
