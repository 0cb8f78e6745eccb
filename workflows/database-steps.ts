import { patched } from '@temporalio/workflow';
import { lastErrorOf } from './failure-description';
import type { Preview } from './preview';
import type { StepActivities } from './step-activities';

// The per-preview database, for repositories that enable one (`repositories[].database`).
// Provisioning runs after the baseline (the credentials Secret goes into the namespace) and
// before the apps, so workloads find their Secret when they start. The password never passes
// through here: provisionDatabase writes it into the Secret itself. The bootstrap SQL does (it
// is repository code, size-bounded; see workflows/contract/database.ts).
//
// The drop runs at teardown after the namespace is gone: by then no workload of the preview can
// hold or reopen a connection, so nothing crash-loops against a vanished database while Argo CD
// prunes, and the drop does not need the namespace (the name derives from its name; the Secret
// went with it). It runs whatever the namespace teardown's outcome, so a stuck namespace does
// not also leak a database.
//
// Runs recorded before this existed never had a database in their config; the patch keeps that
// provable to replay anyway. The callers check `…Due` synchronously and only then await: an
// await that does nothing still moves the step's continuation behind other coroutines (the
// reporter), and recorded histories pin that order of commands.

export const DATABASE_PATCH = 'preview-database';

function databaseEnabled(preview: Preview): boolean {
  return preview.input.config.database?.enabled === true;
}

/** Whether provisioning has a database to create (synchronous, see above). */
export function databaseProvisionDue(preview: Preview): boolean {
  return databaseEnabled(preview) && patched(DATABASE_PATCH);
}

/** Whether teardown has a database to drop: provisionDatabase only ever runs once the namespace is known. */
export function databaseDropDue(preview: Preview): boolean {
  return databaseEnabled(preview) && preview.state.namespace !== undefined && patched(DATABASE_PATCH);
}

/** Call only when databaseProvisionDue(preview). */
export async function provisionPreviewDatabase(preview: Preview, acts: StepActivities, headSha: string, namespace: string): Promise<void> {
  const config = preview.input.config.database;
  if (!config) return;
  let bootstrapSql: string | undefined;
  if (config.bootstrap) {
    const file = await acts.fetchBootstrapSql({ preview: preview.ref, headSha, path: config.bootstrap.path, ifMissing: config.bootstrap.ifMissing });
    if (file.found) bootstrapSql = file.sql;
    else preview.recordEvent('database-bootstrap', `${file.path} does not exist at ${file.ref.slice(0, 12)}: no bootstrap`);
  }
  const result = await acts.provisionDatabase({ namespace, workflowId: preview.state.workflowId, ...(bootstrapSql !== undefined && { bootstrapSql }) });
  const sha256 = result.bootstrap.sha256;
  preview.state.database = { name: result.database, secretName: result.secretName, ...(sha256 && { bootstrapSha256: sha256 }) };
  const bootstrap = result.bootstrap.state === 'none' ? '' : `, bootstrap ${result.bootstrap.state} (sha256 ${sha256?.slice(0, 12) ?? '?'})`;
  preview.recordEvent('database', `${result.database} ready, credentials in Secret ${result.secretName}${bootstrap}`);
  preview.changed();
}

/** Call only when databaseDropDue(preview). Returns the failure to report, or undefined when the database is gone. */
export async function dropPreviewDatabase(preview: Preview, acts: StepActivities): Promise<string | undefined> {
  const s = preview.state;
  if (s.namespace === undefined) return undefined;
  try {
    const r = await acts.dropDatabase({ namespace: s.namespace, workflowId: s.workflowId });
    const sessions = r.terminatedSessions > 0 ? ` (${r.terminatedSessions} open session(s) ended)` : '';
    preview.recordEvent('database-dropped', r.databaseDropped || r.roleDropped ? `${r.database} dropped${sessions}` : `${r.database} was already gone`);
    s.database = undefined;
    return undefined;
  } catch (err) {
    const failure = lastErrorOf(err, 'dropDatabase');
    s.lastError = failure;
    return `database drop failed: ${failure.message}`;
  }
}
