import { ApplicationFailure } from '@temporalio/common';
import { isOwnedBy, parseOwnershipMarker, previewDatabaseName, type OwnershipMarker } from '../../src/database';
import type { NameState } from './admin-session';
import type { DatabaseContext } from './database-context';
import { DatabaseFailureType, step } from './database-failure';
import type { DatabaseOwner } from '../../workflows/contract';

// Before previewd changes or drops anything under a name, the name must be free or provably
// this owner's: the role's marker (which the preview's own code cannot rewrite) names this
// namespace and workflow, and the database, if any, belongs to that role. Anything else is
// someone else's and is refused without a change.

function foreign(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${message}; previewd leaves it alone`, DatabaseFailureType.Foreign);
}

/** The role's marker when the name is this owner's; undefined when nothing exists under it yet. */
export function assertOwnable(state: NameState, name: string, owner: DatabaseOwner): OwnershipMarker | undefined {
  const marker = state.role ? parseOwnershipMarker(state.role.comment) : undefined;
  if (state.role && !isOwnedBy(marker, owner)) {
    const whose = marker ? `belongs to namespace ${marker.namespace} (workflow ${marker.workflowId})` : 'carries no previewd ownership marker';
    throw foreign(`role ${name} exists but ${whose}`);
  }
  if (state.database && state.database.owner !== name) throw foreign(`database ${name} exists but is owned by ${state.database.owner}`);
  return marker;
}

const MAX_WORKFLOW_ID = 1000;

/** Derives the name from the owner's namespace, or refuses the input before anything is touched. */
export async function deriveName(ctx: DatabaseContext, owner: DatabaseOwner): Promise<string> {
  if (typeof owner.workflowId !== 'string' || owner.workflowId.length === 0 || owner.workflowId.length > MAX_WORKFLOW_ID) {
    throw ApplicationFailure.nonRetryable(`workflowId must be a non-empty string of at most ${MAX_WORKFLOW_ID} characters`, DatabaseFailureType.NameRefused);
  }
  return step('derive database name', () => Promise.resolve(previewDatabaseName(ctx.settings, owner.namespace)));
}
