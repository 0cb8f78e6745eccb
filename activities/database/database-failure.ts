import { ApplicationFailure } from '@temporalio/common';
import { DatabaseError } from 'pg';
import { InvalidDatabaseNameError } from '../../src/database';
import { FailureType } from '../../workflows/contract';

// How database errors become Temporal failures. A refused name, a rejected login or a missing
// privilege stay wrong however often they are retried, so they fail at once; an unreachable or
// overloaded server, a lost connection or a concurrent change is retried (an outage must never
// end a preview). Messages carry the server's words and SQLSTATE, never SQL text, so no
// password or verifier can ride along.

/** The contract's database failure types (workflows/contract/failure-types.ts), by what they mean here. */
export const DatabaseFailureType = {
  NameRefused: FailureType.DatabaseNameRefused,
  AuthFailed: FailureType.DatabaseAuthFailed,
  PermissionDenied: FailureType.DatabasePermissionDenied,
  Foreign: FailureType.ForeignDatabase,
  BootstrapFailed: FailureType.DatabaseBootstrapFailed,
  Unsupported: FailureType.DatabaseServerUnsupported,
  RoleInUse: FailureType.DatabaseRoleInUse,
  Invalid: FailureType.DatabaseInvalid,
  Busy: FailureType.DatabaseBusy,
  Unavailable: FailureType.DatabaseUnavailable,
  NotConfigured: FailureType.DatabaseNotConfigured,
} as const;

export type DatabaseFailureTypeName = (typeof DatabaseFailureType)[keyof typeof DatabaseFailureType];

/** The failure types a retry cannot fix (all of them are in the contract's NON_RETRYABLE_FAILURE_TYPES too). */
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
