import type { RepositoryConfig } from '../config';

/** The configured repositories by lower-cased `owner/repo`: GitHub names are case-insensitive. */
export class RepositoryAllowlist {
  private readonly byName: ReadonlyMap<string, RepositoryConfig>;

  constructor(repositories: readonly RepositoryConfig[]) {
    this.byName = new Map(repositories.map((r) => [r.fullName.toLowerCase(), r]));
  }

  find(fullName: string): RepositoryConfig | undefined {
    return this.byName.get(fullName.toLowerCase());
  }

  get size(): number {
    return this.byName.size;
  }
}
