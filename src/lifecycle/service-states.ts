import type { ServiceState } from '../../workflows/contract';
import type { ServiceConfig } from '../config/repository';

// Per-service state as the status query and the PR comment show it. Services keep the order of
// the repository config, so the list reads the same way on every report.

export type ServiceChange = Partial<Omit<ServiceState, 'name' | 'rolloutPhase'>> & { readonly name: string };

export function updateServiceStates(current: readonly ServiceState[], all: readonly ServiceConfig[], changes: readonly ServiceChange[]): ServiceState[] {
  const byName = new Map(current.map((s) => [s.name, s]));
  for (const change of changes) {
    const config = all.find((s) => s.name === change.name);
    if (!config) continue;
    const base: ServiceState = byName.get(change.name) ?? { name: config.name, rolloutPhase: config.phase, state: 'Pending' };
    byName.set(change.name, { ...base, ...change, name: config.name, rolloutPhase: config.phase });
  }
  return all.flatMap((s) => {
    const state = byName.get(s.name);
    return state ? [state] : [];
  });
}
