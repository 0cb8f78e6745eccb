import picomatch from 'picomatch';
import type { RepositoryConfig, ServiceConfig } from '../config/repository';
import { touchedPaths, type ChangedFile } from './changed-file';

export type SelectionReason = 'scope-all' | 'changed-paths' | 'detected' | 'dependency' | 'always-deploy';

export interface SelectionOptions {
  /**
   * Services found affected by other means (the AI detector). They add to what the globs
   * matched, never remove from it, and get their dependencies like any other. Unknown names are
   * ignored.
   */
  readonly detected?: readonly string[];
}

export interface ServiceSelection {
  /** Service names ordered by rollout phase, then name. */
  readonly services: readonly string[];
  readonly reasons: Readonly<Record<string, SelectionReason>>;
}

/**
 * The static answer to "what does this PR need deployed": services whose path globs match a
 * changed file, their declared dependencies (transitively), and always-deploy services.
 * Scope `all` deploys the whole apps tier.
 */
/** The parts of a repository's config the selection reads. */
export interface SelectionRepository {
  readonly scope: RepositoryConfig['scope'];
  readonly services: readonly ServiceConfig[];
}

export function selectAffectedServices(repo: SelectionRepository, files: readonly ChangedFile[], options: SelectionOptions = {}): ServiceSelection {
  const reasons = new Map<string, SelectionReason>();
  if (repo.scope === 'all') {
    repo.services.forEach((s) => reasons.set(s.name, 'scope-all'));
    return finish(repo.services, reasons);
  }
  const paths = touchedPaths(files);
  for (const svc of repo.services) {
    const matches = picomatch(svc.paths, { dot: true });
    if (svc.paths.length > 0 && paths.some((p) => matches(p))) reasons.set(svc.name, 'changed-paths');
  }
  const known = new Set(repo.services.map((s) => s.name));
  for (const name of options.detected ?? []) {
    if (known.has(name) && !reasons.has(name)) reasons.set(name, 'detected');
  }
  for (const svc of repo.services) {
    if (svc.alwaysDeploy && !reasons.has(svc.name)) reasons.set(svc.name, 'always-deploy');
  }
  addDependencies(repo.services, reasons);
  return finish(repo.services, reasons);
}

function addDependencies(services: readonly ServiceConfig[], reasons: Map<string, SelectionReason>): void {
  const byName = new Map(services.map((s) => [s.name, s]));
  const queue = [...reasons.keys()];
  while (queue.length > 0) {
    for (const dep of byName.get(queue.shift() as string)?.dependsOn ?? []) {
      if (reasons.has(dep)) continue;
      reasons.set(dep, 'dependency');
      queue.push(dep);
    }
  }
}

function finish(services: readonly ServiceConfig[], reasons: Map<string, SelectionReason>): ServiceSelection {
  const chosen = services.filter((s) => reasons.has(s.name)).sort((a, b) => a.phase - b.phase || a.name.localeCompare(b.name));
  return { services: chosen.map((s) => s.name), reasons: Object.fromEntries(chosen.map((s) => [s.name, reasons.get(s.name) as SelectionReason])) };
}
