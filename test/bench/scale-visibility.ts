import type { Client } from '@temporalio/client';
import { PreviewPhase, PreviewPullRequest } from '../../workflows/contract';

// How many previews of a repository are Ready, read from visibility (the PreviewPhase search
// attribute the workflows upsert): one count query instead of a thousand status queries.

const POLL_MS = 500;
const PROGRESS_MS = 15_000;

async function count(client: Client, repository: string, phases: string): Promise<number> {
  return (await client.workflow.count(`PreviewRepository = "${repository}" AND PreviewPhase IN (${phases})`)).count;
}

/** A few previews that are not Ready yet, with their phase, for the progress line. */
async function stragglers(client: Client, repository: string, limit = 3): Promise<string> {
  const found: string[] = [];
  for await (const wf of client.workflow.list({ query: `PreviewRepository = "${repository}" AND PreviewPhase != "Ready"`, pageSize: limit })) {
    found.push(`#${wf.typedSearchAttributes.get(PreviewPullRequest) ?? '?'} ${wf.typedSearchAttributes.get(PreviewPhase) ?? '?'}`);
    if (found.length >= limit) break;
  }
  return found.join(', ');
}

/** Resolves with Date.now() once `n` previews are Ready; a Failed or Degraded one ends the wait. */
export async function untilAllReady(client: Client, repository: string, n: number, deadlineMs: number, progress: (ready: number, waiting: string) => void): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  let lastReport = 0;
  while (Date.now() < deadline) {
    const ready = await count(client, repository, '"Ready"');
    if (ready >= n) return Date.now();
    const broken = await count(client, repository, '"Failed", "Degraded"');
    if (broken > 0) throw new Error(`${broken} previews of ${repository} are Failed or Degraded; see the worker log`);
    if (Date.now() - lastReport > PROGRESS_MS) {
      progress(ready, await stragglers(client, repository));
      lastReport = Date.now();
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`not all ${n} previews of ${repository} Ready within ${deadlineMs / 60_000} min`);
}
