import type { ServiceConfig } from '../config/repository';

// Services carry a rollout phase (seed 000: 610 … 650). Lower phases deploy and must be ready
// before higher ones start, so databases come up before the apps that need them.

export interface RolloutStep {
  readonly phase: number;
  readonly services: readonly ServiceConfig[];
}

/**
 * The services to deploy: the chosen ones that exist, always-deploy services, and everything
 * they depend on (transitively), whatever the chooser returned. Nothing chosen means the whole
 * apps tier: an empty preview helps nobody.
 */
export function selectServices(all: readonly ServiceConfig[], chosen: readonly string[]): ServiceConfig[] {
  const byName = new Map(all.map((s) => [s.name, s]));
  const picked = new Set<string>();
  const add = (name: string): void => {
    const svc = byName.get(name);
    if (!svc || picked.has(name)) return;
    picked.add(name);
    svc.dependsOn.forEach(add);
  };
  chosen.forEach(add);
  all.filter((s) => s.alwaysDeploy).forEach((s) => add(s.name));
  if (picked.size === 0) return [...all];
  return all.filter((s) => picked.has(s.name));
}

/** Groups services by rollout phase, lowest first; order within a phase follows the config. */
export function planRollout(services: readonly ServiceConfig[]): RolloutStep[] {
  const phases = [...new Set(services.map((s) => s.phase))].sort((a, b) => a - b);
  return phases.map((phase) => ({ phase, services: services.filter((s) => s.phase === phase) }));
}
