import { parseDatabaseComment, parseOwnershipMarker, type PreviewDatabaseEntry } from '../../src/database';
import type { DatabaseContext } from './database-context';
import { step } from './database-failure';

// Every role and database under this installation's prefix, paired by name, with the markers
// the janitor decides from (src/database screenPreviewDatabase). A role whose database is gone
// (or never came) is listed too: it is as much an orphan as a database.

export interface ListPreviewDatabasesResult {
  readonly entries: readonly PreviewDatabaseEntry[];
}

interface Row {
  name: string;
  has_role: boolean;
  role_comment: string | null;
  has_database: boolean;
  owner: string | null;
  database_comment: string | null;
}

// starts_with, not LIKE: the underscore in the prefix would be a LIKE wildcard. $2 narrows the
// listing to one name (the janitor's re-check right before a drop).
const LIST_SQL = `
  WITH r AS (SELECT rolname AS name, shobj_description(oid, 'pg_authid') AS comment FROM pg_roles
             WHERE starts_with(rolname, $1) AND ($2::text IS NULL OR rolname = $2)),
       d AS (SELECT datname AS name, pg_get_userbyid(datdba) AS owner, shobj_description(oid, 'pg_database') AS comment
             FROM pg_database WHERE starts_with(datname, $1) AND ($2::text IS NULL OR datname = $2))
  SELECT coalesce(r.name, d.name) AS name, r.name IS NOT NULL AS has_role, r.comment AS role_comment,
         d.name IS NOT NULL AS has_database, d.owner, d.comment AS database_comment
  FROM r FULL JOIN d ON r.name = d.name
  ORDER BY 1`;

function toEntry(row: Row): PreviewDatabaseEntry {
  const marker = parseOwnershipMarker(row.role_comment);
  const comment = parseDatabaseComment(row.database_comment);
  return {
    name: row.name,
    ...(row.has_role ? { role: marker ? { marker } : {} } : {}),
    ...(row.has_database ? { database: { owner: row.owner ?? '', ...(comment ? { comment } : {}) } } : {}),
  };
}

export async function listPreviewDatabases(ctx: DatabaseContext): Promise<ListPreviewDatabasesResult> {
  const { rows } = await step('list preview databases', () => ctx.pool.query<Row>(LIST_SQL, [`${ctx.settings.prefix}_`, null]));
  return { entries: rows.map(toEntry) };
}

/** The role and/or database of one name under the prefix, read afresh; undefined when neither exists. */
export async function readPreviewDatabase(ctx: DatabaseContext, name: string): Promise<PreviewDatabaseEntry | undefined> {
  const { rows } = await step(`read ${name}`, () => ctx.pool.query<Row>(LIST_SQL, [`${ctx.settings.prefix}_`, name]));
  const row = rows[0];
  return row ? toEntry(row) : undefined;
}
