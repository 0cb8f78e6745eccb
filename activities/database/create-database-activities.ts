import type { DatabaseContext } from './database-context';
import { dropDatabase } from './drop-database';
import { listPreviewDatabases } from './list-preview-databases';
import { provisionDatabase } from './provision-database';
import type { DatabaseActivities, DropDatabaseInput, ProvisionDatabaseInput } from './types';

/** The database activities, bound to one shared server (its admin pool) and the settings. */
export function createDatabaseActivities(ctx: DatabaseContext) {
  return {
    provisionDatabase: (input: ProvisionDatabaseInput) => provisionDatabase(ctx, input),
    dropDatabase: (input: DropDatabaseInput) => dropDatabase(ctx, input),
    listPreviewDatabases: () => listPreviewDatabases(ctx),
    // The contract: a signature drifting from it is a compile error here.
  } satisfies DatabaseActivities;
}
