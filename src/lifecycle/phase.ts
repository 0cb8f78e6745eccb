import type { PreviewPhase } from '../../workflows/contract';

// What the phases (declared in the workflow contract) mean for the lifecycle's decisions.

/** Phases in which the preview no longer accepts deploys or TTL changes. */
export function isShuttingDown(phase: PreviewPhase): boolean {
  return phase === 'TearingDown' || phase === 'Destroyed';
}

/** Phases in which a deploy round is under way. */
export function isDeploying(phase: PreviewPhase): boolean {
  return phase === 'Provisioning' || phase === 'Deploying';
}
