import { DNS_LABEL } from '../config';
import { isDatabasePrefix, MAX_DATABASE_PREFIX } from '../config/databases';

// Role and database names of a preview. They derive from the preview namespace name only (which
// itself comes from operator configuration and the PR number, never from branch names or
// titles), so nothing a PR author writes can choose or influence them. One name serves as both
// the role and the database it owns, the PostgreSQL convention (`psql -U x` connects to x).
//
// Anything that does not match the strict shapes below is refused, not rewritten: a rewrite
// could map two previews onto one database. Identifiers are quoted in SQL as well; the refusal
// is the first line of defence, quoting the second.

/** NAMEDATALEN - 1: PostgreSQL silently truncates longer identifiers, which would merge names. */
export const MAX_IDENTIFIER_BYTES = 63;
export { MAX_DATABASE_PREFIX };
const HASH_HEX = 16;

/** What a derived name may contain: an unquoted PostgreSQL identifier without `$`. */
const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

export class InvalidDatabaseNameError extends Error {
  override readonly name = 'InvalidDatabaseNameError';
}

/** Operator settings the names derive from. */
export interface DatabaseNaming {
  /** Database and role names are `<prefix>_<namespace with - as _>`. One prefix per installation on a server. */
  readonly prefix: string;
  /** Preview namespaces are `<namespacePrefix>-…`; any other namespace is refused. */
  readonly namespacePrefix: string;
}

/** A value for an error message: quoted, and cut short so a hostile megabyte does not land in a failure. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

export function assertDatabasePrefix(prefix: unknown): asserts prefix is string {
  if (!isDatabasePrefix(prefix)) {
    throw new InvalidDatabaseNameError(
      `database prefix must be 1-${MAX_DATABASE_PREFIX} lowercase letters and digits in words joined by single underscores, not pg_ (reserved), got ${shown(prefix)}`,
    );
  }
}

/** A preview namespace of this installation: a DNS label under the namespace prefix. */
export function assertPreviewNamespace(naming: DatabaseNaming, namespace: unknown): asserts namespace is string {
  const ok =
    typeof namespace === 'string' && namespace.length <= MAX_IDENTIFIER_BYTES && DNS_LABEL.test(namespace) && namespace.startsWith(`${naming.namespacePrefix}-`);
  if (!ok) {
    throw new InvalidDatabaseNameError(
      `database names derive only from preview namespaces (a DNS label of at most 63 characters starting with "${naming.namespacePrefix}-"), got ${shown(namespace)}`,
    );
  }
}

/** 64-bit FNV-1a, hex. Dependency-free and deterministic, so workflow code may derive names too. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(HASH_HEX, '0');
}

/**
 * `<prefix>_<namespace>` with dashes as underscores (injective: namespaces have no underscores).
 * Over 63 bytes it keeps a readable head and ends in a hash of the whole name; two previews
 * whose names still collided would be told apart by the ownership marker on the role.
 */
export function previewDatabaseName(naming: DatabaseNaming, namespace: string): string {
  assertDatabasePrefix(naming.prefix);
  assertPreviewNamespace(naming, namespace);
  const full = `${naming.prefix}_${namespace.replaceAll('-', '_')}`;
  if (full.length <= MAX_IDENTIFIER_BYTES) return full;
  const head = full.slice(0, MAX_IDENTIFIER_BYTES - HASH_HEX - 1).replace(/_+$/, '');
  return `${head}_${fnv1a64(full)}`;
}

/** Whether `name` has the shape of a name this prefix derives (used to screen listings, not to derive). */
export function isPreviewDatabaseName(prefix: string, name: string): boolean {
  // IDENTIFIER admits ASCII only, so the length in characters is the length in bytes.
  return IDENTIFIER.test(name) && name.length <= MAX_IDENTIFIER_BYTES && name.startsWith(`${prefix}_`) && name.length > prefix.length + 1;
}

export function assertPreviewDatabaseName(prefix: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || !isPreviewDatabaseName(prefix, name)) {
    throw new InvalidDatabaseNameError(
      `refusing database/role name ${shown(name)}: previewd only touches names of the form ${prefix}_<lowercase letters, digits, underscores> of at most ${MAX_IDENTIFIER_BYTES} bytes`,
    );
  }
}
