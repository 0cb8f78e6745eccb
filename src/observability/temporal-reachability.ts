// The readiness probes of the ingress and the worker ask the same question: does the Temporal
// frontend answer now? A cheap call (GetSystemInfo) under a deadline short enough for a probe.

/** What the client's Connection and the worker's NativeConnection both offer. */
export interface ProbedConnection {
  withDeadline<T>(deadline: number | Date, fn: () => Promise<T>): Promise<T>;
  readonly workflowService: { getSystemInfo(request: object): Promise<unknown> };
}

/** Probes answer within a couple of seconds, whatever deadline the connection's other calls use. */
export const PROBE_DEADLINE_MS = 2_000;

export async function temporalAnswers(connection: ProbedConnection, deadlineMs = PROBE_DEADLINE_MS): Promise<boolean> {
  try {
    await connection.withDeadline(Date.now() + deadlineMs, () => connection.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}
