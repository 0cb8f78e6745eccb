import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../workflows/contract';
import {
  OPERATION_HINTS,
  credentialsMessage,
  permissionMessage,
  rateLimitWait,
  validationMessage,
  type GitHubOperation,
} from '../../src/github';

// How GitHub's answers become Temporal failures:
// - rate limits (primary and secondary) are retryable, and the retry waits exactly as long as
//   GitHub's headers say (`nextRetryDelay` overrides the retry policy's backoff);
// - 401, 403 and 404 are missing credentials or permissions and 422 a rejected request:
//   retrying cannot fix them, so they fail at once with a message naming the permission;
// - everything else (5xx, network errors, timeouts) is an outage: retryable with backoff.
// The failure types are the workflow contract's FailureType.GitHub…; the non-retryable ones are
// in its NON_RETRYABLE_FAILURE_TYPES.

/** The parts of an @octokit/request-error RequestError this module reads. */
interface RequestErrorLike {
  readonly name: string;
  readonly status: number;
  readonly message: string;
  readonly request?: { readonly url?: string };
  readonly response?: { readonly headers?: Record<string, string | number | undefined>; readonly data?: unknown };
}

function isRequestError(err: unknown): err is RequestErrorLike {
  return err instanceof Error && err.name === 'HttpError' && typeof (err as { status?: unknown }).status === 'number';
}

/** GitHub's own `message` field (RequestError's message appends documentation links and errors). */
function githubMessage(err: RequestErrorLike): string {
  const data = err.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const base = typeof data?.message === 'string' ? data.message : err.message;
  const details = Array.isArray(data?.errors) ? data.errors.map((e) => (typeof e === 'string' ? e : ((e as { message?: string }).message ?? JSON.stringify(e)))) : [];
  return details.length > 0 ? `${base} (${details.join('; ')})` : base;
}

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/** Requests made for an App installation token fail with the installation's permission story. */
function operationOf(err: RequestErrorLike, operation: GitHubOperation): GitHubOperation {
  return /\/app\/installations\/|\/installation$/.test(err.request?.url ?? '') ? 'installation' : operation;
}

export interface FailureContext {
  readonly operation: GitHubOperation;
  readonly repository: string;
  readonly now: number;
  readonly secrets: readonly string[];
}

export function toGitHubFailure(err: unknown, ctx: FailureContext): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (!isRequestError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return ApplicationFailure.retryable(redact(`GitHub request failed: ${message}`, ctx.secrets), FailureType.GitHubUnavailable);
  }
  const operation = operationOf(err, ctx.operation);
  const said = redact(githubMessage(err), ctx.secrets);
  const wait = rateLimitWait({ status: err.status, headers: err.response?.headers ?? {}, message: said }, ctx.now);
  if (wait) {
    return ApplicationFailure.create({
      type: FailureType.GitHubRateLimited,
      message: `GitHub ${wait.kind} rate limit reached while trying to ${OPERATION_HINTS[operation].action} on ${ctx.repository}; retrying in ${Math.ceil(wait.delayMs / 1000)}s`,
      nextRetryDelay: wait.delayMs,
      details: [{ kind: wait.kind, delayMs: wait.delayMs }],
    });
  }
  if (err.status === 401) return ApplicationFailure.nonRetryable(credentialsMessage(operation, ctx.repository, said), FailureType.GitHubPermission);
  if (err.status === 403 || err.status === 404) {
    return ApplicationFailure.nonRetryable(permissionMessage(operation, ctx.repository, err.status, said), FailureType.GitHubPermission);
  }
  if (err.status === 422) return ApplicationFailure.nonRetryable(validationMessage(operation, ctx.repository, said), FailureType.GitHubValidation);
  const status = err.status === 500 && !err.response ? 'network error' : `HTTP ${err.status}`;
  return ApplicationFailure.retryable(`GitHub unavailable while trying to ${OPERATION_HINTS[operation].action} on ${ctx.repository} (${status}): ${said}`, FailureType.GitHubUnavailable);
}

export function isRateLimited(err: unknown): err is ApplicationFailure {
  return err instanceof ApplicationFailure && err.type === FailureType.GitHubRateLimited;
}

export function isNonRetryable(err: unknown): boolean {
  return err instanceof ApplicationFailure && err.nonRetryable === true;
}
