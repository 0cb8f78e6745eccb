import { InvalidPullRequestRefError, previewWorkflowId, type PullRequestRef } from '../lifecycle';
import type { PreviewdConfig } from '../config';
import { CliError, EXIT } from './cli-io';

// `<owner/repo> <pr>` as people type it. The repository is spelled as configured when it is
// configured (search attributes hold that spelling), so `acme/shop` finds `Acme/Shop`.

export function canonicalRepository(repository: string, config: Pick<PreviewdConfig, 'repositories'>): string {
  return config.repositories.find((r) => r.fullName.toLowerCase() === repository.toLowerCase())?.fullName ?? repository;
}

export function pullRequestArg(repository: string, pr: string, config: Pick<PreviewdConfig, 'repositories'>): PullRequestRef & { workflowId: string } {
  if (!/^\d+$/.test(pr)) throw new CliError(`"${pr}" is not a pull request number`, EXIT.usage);
  const ref = { repository: canonicalRepository(repository, config), number: Number(pr) };
  try {
    return { ...ref, workflowId: previewWorkflowId(ref) };
  } catch (err) {
    if (err instanceof InvalidPullRequestRefError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}
