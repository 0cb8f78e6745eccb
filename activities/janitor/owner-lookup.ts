import { WorkflowNotFoundError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { DescribeOutcome, OwnerEvidence } from '../../src/janitor';

// Temporal's side of the ownership question, as evidence for the pure verdict. Errors are
// evidence too ("could not tell"), never exceptions: the verdict turns them into skips.

function messageOf(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

const runningQuery = (workflowType: string) => `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Running'`;

/** Ids of every running lifecycle workflow (continue-as-new keeps the id), or the error that prevented the list. */
export async function runningOwners(client: Client, workflowType: string): Promise<ReadonlySet<string> | { readonly error: string }> {
  try {
    const ids = new Set<string>();
    for await (const wf of client.workflow.list({ query: runningQuery(workflowType) })) ids.add(wf.workflowId);
    return ids;
  } catch (err) {
    return { error: messageOf(err) };
  }
}

/** describe() of the latest run: strongly consistent, unlike visibility. */
export async function describeOwner(client: Client, workflowId: string): Promise<DescribeOutcome> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    return { kind: 'status', status: description.status.name };
  } catch (err) {
    // Only this class means "no such workflow"; a missing Temporal namespace is NamespaceNotFoundError.
    if (err instanceof WorkflowNotFoundError) return { kind: 'not-found' };
    return { kind: 'error', detail: messageOf(err) };
  }
}

/** Evidence from the run-wide list taken by the scan. */
export async function evidenceFromList(client: Client, running: ReadonlySet<string> | { readonly error: string }, workflowId: string): Promise<OwnerEvidence> {
  if ('error' in running) return { visibility: 'error', detail: running.error };
  if (running.has(workflowId)) return { visibility: 'running' };
  return { visibility: 'not-running', describe: await describeOwner(client, workflowId) };
}

/**
 * Evidence for one id, asked afresh (the teardown's re-check). The id passed the screen's
 * pattern, which admits no quote, so it can stand inside the query literal.
 */
export async function freshEvidence(client: Client, workflowType: string, workflowId: string): Promise<OwnerEvidence> {
  try {
    const { count } = await client.workflow.count(`${runningQuery(workflowType)} AND WorkflowId = '${workflowId}'`);
    if (count > 0) return { visibility: 'running' };
  } catch (err) {
    return { visibility: 'error', detail: messageOf(err) };
  }
  return { visibility: 'not-running', describe: await describeOwner(client, workflowId) };
}
