import { Context } from '@temporalio/activity';
import type { DropDatabaseInput, PreviewDatabaseActivities, ProvisionDatabaseInput } from '../../workflows/contract';
import type { DatabaseContext } from './database-context';
import { dropDatabase } from './drop-database';
import { listPreviewDatabases, type ListPreviewDatabasesResult } from './list-preview-databases';
import { provisionDatabase } from './provision-database';

/** The database operations: the lifecycle's two steps (the workflow contract's) and the janitor's listing. */
export interface DatabaseActivities extends Pick<PreviewDatabaseActivities, 'provisionDatabase' | 'dropDatabase'> {
  /** Every role and database under this installation's prefix, with their markers, for the janitor. */
  listPreviewDatabases(): Promise<ListPreviewDatabasesResult>;
}

const HEARTBEAT_MS = 10_000;

/**
 * Heartbeats while `body` runs. A provisioning is quick, except for the schema bootstrap, which
 * may run for up to `bootstrap.timeoutMs`: the workflow's heartbeat timeout, not a ceiling of an
 * hour, is what notices a worker that died meanwhile.
 */
async function heartbeating<T>(body: () => Promise<T>): Promise<T> {
  let context: Context | undefined;
  try {
    context = Context.current();
  } catch {
    return body(); // not in an activity (a script, a direct call): nobody to tell
  }
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
  try {
    return await body();
  } finally {
    clearInterval(timer);
  }
}

/** The database activities, bound to one shared server (its admin pool) and the settings. */
export function createDatabaseActivities(ctx: DatabaseContext) {
  return {
    provisionDatabase: (input: ProvisionDatabaseInput) => heartbeating(() => provisionDatabase(ctx, input)),
    dropDatabase: (input: DropDatabaseInput) => dropDatabase(ctx, input),
    listPreviewDatabases: () => listPreviewDatabases(ctx),
    // The contract: a signature drifting from it is a compile error here.
  } satisfies DatabaseActivities;
}
