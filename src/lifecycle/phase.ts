// The phases people see in the status query, the PR comment and the `PreviewPhase` search
// attribute. Failed is not terminal while the workflow runs: a failed deploy waits for a new
// push, a redeploy, or an explicit teardown, because errors never tear a preview down.

export const PREVIEW_PHASES = ['Pending', 'Provisioning', 'Deploying', 'Ready', 'Degraded', 'Failed', 'TearingDown', 'Destroyed'] as const;

export type PreviewPhase = (typeof PREVIEW_PHASES)[number];

/** Phases in which the preview no longer accepts deploys or TTL changes. */
export function isShuttingDown(phase: PreviewPhase): boolean {
  return phase === 'TearingDown' || phase === 'Destroyed';
}

/** Phases in which a deploy round is under way. */
export function isDeploying(phase: PreviewPhase): boolean {
  return phase === 'Provisioning' || phase === 'Deploying';
}
