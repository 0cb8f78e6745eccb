import { REPOSITORY_NAME } from '../config/repository';

// `owner/repo` as the configuration spells it, split for REST paths. The workflow already
// validated the shape; this only refuses what would build a wrong URL.

export interface RepositoryName {
  readonly owner: string;
  readonly repo: string;
}

export function splitRepository(repository: string): RepositoryName {
  const match = REPOSITORY_NAME.exec(repository);
  if (!match) throw new Error(`repository "${repository}" is not owner/repo`);
  return { owner: match[1] as string, repo: match[2] as string };
}
