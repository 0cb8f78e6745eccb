import type { LogLevel, LogMetadata } from '@temporalio/common';
import { Counter, type Registry } from 'prom-client';

// Workflow tasks the server refuses to complete. When previewd's workflow code fails, Core
// counts it itself (`temporal_workflow_task_execution_failed_total{workflow_type,failure_reason}`).
// When the server rejects a completed task (BadSearchAttributes: an attribute the namespace
// does not have), Core counts nothing: it logs one warning, "Error while completing workflow
// activation", evicts the run and the server retries the task, forever. That warning is all
// there is, so previewd reads it from the Temporal log forwarding, counts it by the server's
// reason and turns repeated failures of one reason into an unready worker.

export const WORKFLOW_TASK_FAILURES_METRIC = 'previewd_workflow_task_failures_total';

/** Core's warning when the server answers a workflow task completion with an error. */
export const CORE_COMPLETION_ERROR = 'Error while completing workflow activation';

export interface WorkflowTaskFailure {
  /** The server's reason (`BadSearchAttributes`), else the gRPC status it answered with (`Unavailable`). */
  readonly reason: string;
  /** The server's message (`Namespace previews has no mapping defined for search attribute PreviewHeadSha`). */
  readonly detail: string;
  /** Unavailable, overloaded, timed out: passes by itself (and /readyz already says when Temporal is unreachable). */
  readonly transient?: boolean;
}

// Core's error text: `code: 'Client specified an invalid argument', message: "BadSearchAttributes: …"`,
// where the code is tonic's description of the gRPC status (as in Core's binary, SDK 1.24).
const CORE_ERROR = /^code: '([^']*)', message: "(.*)"$/s;
const GRPC_STATUS: Readonly<Record<string, string>> = {
  'The operation was cancelled': 'Cancelled',
  'Unknown error': 'Unknown',
  'Client specified an invalid argument': 'InvalidArgument',
  'Deadline expired before operation could complete': 'DeadlineExceeded',
  'Some requested entity was not found': 'NotFound',
  'Some entity that we attempted to create already exists': 'AlreadyExists',
  'The caller does not have permission to execute the specified operation': 'PermissionDenied',
  'Some resource has been exhausted': 'ResourceExhausted',
  "The system is not in a state required for the operation's execution": 'FailedPrecondition',
  'The operation was aborted': 'Aborted',
  'Operation was attempted past the valid range': 'OutOfRange',
  'Operation is not implemented or not supported': 'Unimplemented',
  'Internal error': 'Internal',
  'The service is currently unavailable': 'Unavailable',
  'Unrecoverable data loss or corruption': 'DataLoss',
  'The request does not have valid authentication credentials': 'Unauthenticated',
};
/** Statuses a Temporal restart or overload produces: counted, but they pass by themselves, so they do not make the worker unready. */
const TRANSIENT: ReadonlySet<string> = new Set(['Cancelled', 'DeadlineExceeded', 'ResourceExhausted', 'Aborted', 'Unavailable']);
// A server cause is one CamelCase word before a colon (`BadSearchAttributes: …`); without one, the status names the failure.
const SERVER_CAUSE = /^([A-Z][A-Za-z]{2,60}): (.*)$/s;

/** The failure a forwarded Temporal log line reports, or undefined for any other line. */
export function workflowTaskFailureOf(message: string, meta: LogMetadata | undefined): WorkflowTaskFailure | undefined {
  if (message !== CORE_COMPLETION_ERROR) return undefined;
  const error = typeof meta?.error === 'string' ? meta.error : '';
  const [, description = '', serverMessage = error] = CORE_ERROR.exec(error) ?? [];
  // Label values stay bounded: a cause word, a gRPC status name, or `Other`.
  const status = GRPC_STATUS[description] ?? 'Other';
  const cause = SERVER_CAUSE.exec(serverMessage);
  if (cause && !TRANSIENT.has(status)) return { reason: cause[1] as string, detail: cause[2] as string, transient: false };
  return { reason: status, detail: serverMessage, transient: TRANSIENT.has(status) };
}

/** What /readyz says while one reason keeps failing. */
export interface WorkflowTaskTrouble {
  readonly reason: string;
  /** Failures of this reason within the window. */
  readonly count: number;
  readonly windowSeconds: number;
  readonly lastDetail: string;
  /** What to do, when previewd knows. */
  readonly fix?: string;
}

export interface WorkflowTaskFailuresOptions {
  readonly registry: Registry;
  /** Failures of one reason within `windowMs` that make the worker unready; default 3. */
  readonly threshold?: number;
  /** Default 15 minutes: longer than the server's longest retry interval for a failing task (10 min). */
  readonly windowMs?: number;
  readonly now?: () => number;
}

const MAX_REMEMBERED = 10_000;

const FIXES: Readonly<Record<string, string>> = {
  BadSearchAttributes: "register previewd's search attributes on the namespace (README, Temporal): one `temporal operator search-attribute create --name … --type …` per attribute",
};

export class WorkflowTaskFailures {
  private readonly counter: Counter<'reason'>;
  /** reason → times of its failures within the window, oldest first. */
  private readonly recent = new Map<string, { times: number[]; lastDetail: string }>();
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: WorkflowTaskFailuresOptions) {
    this.threshold = options.threshold ?? 3;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
    this.counter = new Counter({
      name: WORKFLOW_TASK_FAILURES_METRIC,
      help: 'Workflow tasks the Temporal server refused to complete, by its reason (BadSearchAttributes: a search attribute the namespace lacks). Failures in workflow code are temporal_workflow_task_execution_failed_total',
      labelNames: ['reason'],
      registers: [options.registry],
    });
  }

  /** For the Temporal log forwarding: counts the lines that report a rejected workflow task. */
  readonly observe = (_level: LogLevel, message: string, meta?: LogMetadata): void => {
    const failure = workflowTaskFailureOf(message, meta);
    if (failure) this.record(failure);
  };

  record(failure: WorkflowTaskFailure): void {
    this.counter.inc({ reason: failure.reason });
    // Otherwise a Temporal restart would leave every worker unready for a whole window after it.
    if (failure.transient) return;
    const entry = this.recent.get(failure.reason) ?? { times: [], lastDetail: '' };
    entry.times.push(this.now());
    // A whole fleet of failing previews: the count is what matters, not every timestamp.
    if (entry.times.length > MAX_REMEMBERED) entry.times.shift();
    entry.lastDetail = failure.detail;
    this.recent.set(failure.reason, entry);
    this.prune();
  }

  /** The reason failing most often, once it reached the threshold within the window; undefined while healthy. */
  trouble(): WorkflowTaskTrouble | undefined {
    this.prune();
    let worst: WorkflowTaskTrouble | undefined;
    for (const [reason, { times, lastDetail }] of this.recent) {
      if (times.length < this.threshold || (worst && worst.count >= times.length)) continue;
      worst = { reason, count: times.length, windowSeconds: Math.round(this.windowMs / 1000), lastDetail, ...(FIXES[reason] && { fix: FIXES[reason] }) };
    }
    return worst;
  }

  private prune(): void {
    const since = this.now() - this.windowMs;
    for (const [reason, entry] of this.recent) {
      while (entry.times.length > 0 && (entry.times[0] as number) <= since) entry.times.shift();
      if (entry.times.length === 0) this.recent.delete(reason);
    }
  }
}
