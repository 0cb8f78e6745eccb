import type { Client } from '@temporalio/client';
import { previewWorkflowId } from '../../src/lifecycle';
import { statusQuery, type PreviewStatus } from '../../workflows/contract';

// The workflow's own account of a preview (status query): phase, expiry, and the times of its
// recent events in workflow time.

export function previewStatus(client: Client, repository: string, number: number): Promise<PreviewStatus> {
  return client.workflow.getHandle(previewWorkflowId({ repository, number })).query(statusQuery);
}

/** Polls the status until the phase is Ready; resolves with Date.now() when it was seen. Failed or Degraded end it with an error. */
export async function untilReady(client: Client, repository: string, number: number, timeoutMs: number, intervalMs = 50): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const status = await previewStatus(client, repository, number);
      if (status.phase === 'Ready') return Date.now();
      if (status.phase === 'Failed' || status.phase === 'Degraded') throw new Error(`${repository}#${number} is ${status.phase}: ${status.failureReason ?? status.lastError?.message ?? ''}`);
      last = status.phase;
    } catch (err) {
      // Before its first workflow task a run cannot answer queries yet.
      if (err instanceof Error && / is (Failed|Degraded)/.test(err.message)) throw err;
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${repository}#${number} not Ready within ${timeoutMs} ms (last: ${last})`);
}

/** Time of the latest recent event of `kind` (and detail, if given), epoch ms. */
export function eventTime(status: PreviewStatus, kind: string, detail?: string): number | undefined {
  const event = [...status.recentEvents].reverse().find((e) => e.kind === kind && (detail === undefined || e.detail === detail));
  return event ? Date.parse(event.at) : undefined;
}
