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
  /** The server's reason (`BadSearchAttributes`), else the gRPC status it answered with. */
  readonly reason: string;
  /** The server's message (`Namespace previews has no mapping defined for search attribute PreviewHeadSha`). */
  readonly detail: string;
}

// Core's error text: `code: 'Client specified an invalid argument', message: "BadSearchAttributes: …"`.
const CORE_ERROR = /^code: '([^']*)', message: "(.*)"$/s;
// A server cause is one CamelCase word before a colon; anything else is labelled by status.
const SERVER_CAUSE = /^([A-Z][A-Za-z]{2,60}): (.*)$/s;

/** The failure a forwarded Temporal log line reports, or undefined for any other line. */
export function workflowTaskFailureOf(message: string, meta: LogMetadata | undefined): WorkflowTaskFailure | undefined {
  if (message !== CORE_COMPLETION_ERROR) return undefined;
  const error = typeof meta?.error === 'string' ? meta.error : '';
  const [, status = 'unknown', serverMessage = error] = CORE_ERROR.exec(error) ?? [];
  const cause = SERVER_CAUSE.exec(serverMessage);
  // Label values stay bounded: a cause word or one of gRPC's fixed status descriptions.
  return cause ? { reason: cause[1] as string, detail: cause[2] as string } : { reason: status.slice(0, 80), detail: serverMessage };
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
