import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

// Preview passwords and how the server learns them. Passwords are 256 random bits in
// base64url: safe in URLs, environment variables and shell lines without quoting. The server
// is sent only a SCRAM-SHA-256 verifier computed here (as `psql`'s \password does), so the
// plain password never appears in SQL text, server logs or pg_stat_activity.

const PASSWORD_BYTES = 32;
const GENERATED = /^[A-Za-z0-9_-]{43}$/;
/** PostgreSQL's own default (scram_iterations); a login costs this many HMACs on the server. */
const SCRAM_ITERATIONS = 4096;
const SALT_BYTES = 16;

export function generatePassword(): string {
  return randomBytes(PASSWORD_BYTES).toString('base64url');
}

/** Whether `value` looks like a password this module generated (anything else is replaced, not trusted). */
export function isGeneratedPassword(value: unknown): value is string {
  return typeof value === 'string' && GENERATED.test(value);
}

/**
 * The verifier PostgreSQL stores for a SCRAM-SHA-256 password (RFC 5802 / RFC 7677):
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. The server normalises
 * passwords with SASLprep first; for printable ASCII that is the identity, so anything else
 * is refused rather than hashed differently from what the server would compute.
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(SALT_BYTES), iterations = SCRAM_ITERATIONS): string {
  if (!/^[\x21-\x7e]+$/.test(password)) throw new Error('SCRAM verifiers are computed here only for printable ASCII passwords');
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
