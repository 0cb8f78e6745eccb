import { ApplicationFailure } from '@temporalio/common';
import { DatabaseError } from 'pg';
import { DatabaseFailureType, NON_RETRYABLE_DATABASE_FAILURES, toDatabaseFailure } from '../../../activities/database';
import { InvalidDatabaseNameError } from '../../../src/database';

function serverError(code: string, message = 'server says no', detail?: string): DatabaseError {
  const err = new DatabaseError(message, 0, 'error');
  err.code = code;
  err.detail = detail;
  return err;
}

function failure(err: unknown): ApplicationFailure {
  const mapped = toDatabaseFailure(err, 'create role preview_pr_x_1');
  if (!(mapped instanceof ApplicationFailure)) throw new Error('not mapped');
  return mapped;
}

describe('toDatabaseFailure', () => {
  it.each([
    ['28P01', DatabaseFailureType.AuthFailed, 'a wrong password'],
    ['28000', DatabaseFailureType.AuthFailed, 'no pg_hba.conf entry'],
    ['42501', DatabaseFailureType.PermissionDenied, 'a missing privilege'],
    ['2BP01', DatabaseFailureType.RoleInUse, 'a role that still owns objects'],
    ['42601', DatabaseFailureType.Invalid, 'a syntax error'],
    ['3D000', DatabaseFailureType.Invalid, 'a missing maintenance database'],
  ])('fails for good on %s (%s: %s)', (code, type, _what) => {
    expect(failure(serverError(code))).toMatchObject({ type, nonRetryable: true });
    expect(NON_RETRYABLE_DATABASE_FAILURES).toContain(type);
  });

  it.each([
    ['08006', 'a lost connection'],
    ['53300', 'too many connections'],
    ['57P03', 'a server still starting'],
    ['57P01', 'an administrator shutdown'],
    ['40P01', 'a deadlock'],
    ['XX000', 'tuple concurrently updated'],
    ['42710', 'a role created concurrently (the next attempt reads it)'],
    ['42P04', 'a database created concurrently'],
  ])('retries %s (%s)', (code) => {
    expect(failure(serverError(code))).toMatchObject({ type: DatabaseFailureType.Unavailable, nonRetryable: false });
  });

  it('retries socket errors, which carry no SQLSTATE', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(failure(refused)).toMatchObject({ type: DatabaseFailureType.Unavailable, nonRetryable: false });
    expect(failure(new Error('Connection terminated unexpectedly'))).toMatchObject({ nonRetryable: false });
  });

  it('refuses bad names for good', () => {
    expect(failure(new InvalidDatabaseNameError('nope'))).toMatchObject({ type: DatabaseFailureType.NameRefused, nonRetryable: true });
  });

  it("keeps the server's message, detail and SQLSTATE, and names the step", () => {
    const message = failure(serverError('2BP01', 'role "x" cannot be dropped because some objects depend on it', 'privileges for table kept in database other')).message;
    expect(message).toBe(
      'create role preview_pr_x_1: role "x" cannot be dropped because some objects depend on it (SQLSTATE 2BP01) privileges for table kept in database other',
    );
  });

  it('passes failures that are already Temporal failures through unchanged', () => {
    const busy = ApplicationFailure.retryable('busy', DatabaseFailureType.Busy);
    expect(toDatabaseFailure(busy, 'x')).toBe(busy);
  });
});
