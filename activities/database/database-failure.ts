import { ApplicationFailure } from '@temporalio/common';
import { DatabaseError } from 'pg';
import { InvalidDatabaseNameError } from '../../src/database';

// How database errors become Temporal failures. A refused name, a rejected login or a missing
// privilege stay wrong however often they are retried, so they fail at once; an unreachable or
// overloaded server, a lost connection or a concurrent change is retried (an outage must never
// end a preview). Messages carry the server's words and SQLSTATE, never SQL text, so no
// password or verifier can ride along.

export const DatabaseFailureType = {
  /** A namespace or name previewd refuses to derive a database from (or bootstrap input refused before any change). */
  NameRefused: 'DatabaseNameRefused',
  /** A login was refused: wrong admin password, or pg_hba.conf has no entry for it. */
  AuthFailed: 'DatabaseAuthFailed',
  /** The admin lacks a privilege (CREATEROLE, CREATEDB, membership). */
  PermissionDenied: 'DatabasePermissionDenied',
  /** The name is taken by something previewd did not create for this preview. */
  Foreign: 'ForeignDatabase',
  /** The schema bootstrap SQL failed, timed out, was too large or controlled the transaction itself. */
  BootstrapFailed: 'DatabaseBootstrapFailed',
  /** The server is older than previewd supports. */
  Unsupported: 'DatabaseServerUnsupported',
  /** The role still owns objects or holds privileges in other databases. */
  RoleInUse: 'DatabaseRoleInUse',
  /** Any other error the server calls permanent (invalid statement, data or definition). */
  Invalid: 'DatabaseInvalid',
  /** Retryable: another attempt holds this name's lock. */
  Busy: 'DatabaseBusy',
  /** Retryable: the server is unreachable, starting, overloaded, or a concurrent change won. */
  Unavailable: 'DatabaseUnavailable',
} as const;

export type DatabaseFailureTypeName = (typeof DatabaseFailureType)[keyof typeof DatabaseFailureType];

/** The failure types a retry cannot fix, for the workflow's list of non-retryable types. */
export const NON_RETRYABLE_DATABASE_FAILURES: readonly DatabaseFailureTypeName[] = [
  DatabaseFailureType.NameRefused,
  DatabaseFailureType.AuthFailed,
  DatabaseFailureType.PermissionDenied,
  DatabaseFailureType.Foreign,
  DatabaseFailureType.BootstrapFailed,
  DatabaseFailureType.Unsupported,
  DatabaseFailureType.RoleInUse,
  DatabaseFailureType.Invalid,
];

/**
 * SQLSTATE classes that describe the request, not the moment: authorization (28), syntax and
 * access rules (42), data (22), integrity (23), dependencies (2B), unsupported features (0A),
 * unknown catalog or schema (3D, 3F), PL/pgSQL raise (P0).
 */
const PERMANENT_CLASSES = new Set(['28', '42', '22', '23', '2B', '0A', '3D', '3F', '44', 'P0']);

/** Permanent by class, but here they mean a concurrent creator won: the next attempt reads what it made. */
const RACES = new Set(['42710', '42P04']);

function typeFor(code: string): DatabaseFailureTypeName {
  if (code.startsWith('28')) return DatabaseFailureType.AuthFailed;
  if (code === '42501') return DatabaseFailureType.PermissionDenied;
  if (code === '2BP01') return DatabaseFailureType.RoleInUse;
  return DatabaseFailureType.Invalid;
}

/** The server's message, detail (e.g. which objects a role still owns) and position; never the statement. */
export function describeDatabaseError(step: string, err: DatabaseError): string {
  const detail = err.detail ? ` ${err.detail}` : '';
  const position = err.position ? ` at character ${err.position}` : '';
  return `${step}: ${err.message}${position} (SQLSTATE ${err.code ?? 'unknown'})${detail}`;
}

/** `step` names what previewd was doing, e.g. `create database preview_pr_web_12`. */
export function toDatabaseFailure(err: unknown, step: string): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof InvalidDatabaseNameError) return ApplicationFailure.nonRetryable(err.message, DatabaseFailureType.NameRefused);
  if (err instanceof DatabaseError && err.code) {
    const message = describeDatabaseError(step, err);
    if (PERMANENT_CLASSES.has(err.code.slice(0, 2)) && !RACES.has(err.code)) return ApplicationFailure.nonRetryable(message, typeFor(err.code));
    return ApplicationFailure.retryable(message, DatabaseFailureType.Unavailable);
  }
  const detail = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.retryable(`${step}: ${detail}`, DatabaseFailureType.Unavailable);
}

/** Runs one step and rethrows its errors as the failures above. */
export async function step<T>(what: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toDatabaseFailure(err, what);
  }
}
