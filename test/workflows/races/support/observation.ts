import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { PreviewStatus } from '../../../../workflows/contract';
import { statusQuery } from '../../../../workflows/contract';
import { modelNamespaceName, type ModelApplication, type ModelNamespace, type PreviewWorld, type ShownReport } from '../../../doubles/preview-world';
import type { RaceTarget } from './race-stack';

// Everything the invariants look at, read once the system is quiet: every run the PR's workflow
// id ever had (Temporal visibility), the status of the last run of each chain of runs (a chain
// is continue-as-new's hand-overs; a closed run followed by a fresh start makes two), what the
// cluster holds and what the PR shows.

export interface RunView {
  readonly runId: string;
  readonly status: string;
}

export interface ChainEnd extends RunView {
  /** The status query's answer (a closed run answers by replay); undefined when it cannot answer. */
  readonly preview?: PreviewStatus;
}

export interface Observed {
  readonly runs: readonly RunView[];
  readonly chainEnds: readonly ChainEnd[];
  /** The workflow id's current run (what signals reach). */
  readonly latest?: ChainEnd;
  readonly namespace?: ModelNamespace;
  readonly applications: readonly ModelApplication[];
  readonly shown?: ShownReport;
}

const VISIBILITY_WAIT_MS = 5_000;

async function latestRun(client: Client, workflowId: string): Promise<RunView | undefined> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    return { runId: d.runId, status: d.status.name };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/**
 * Every run of the id, once visibility has caught up with the current run (it lags describe()
 * a little). The current run's status is describe()'s, which is never stale.
 */
async function listRuns(client: Client, workflowId: string, latest: RunView | undefined): Promise<RunView[]> {
  const deadline = Date.now() + VISIBILITY_WAIT_MS;
  for (;;) {
    const listed: RunView[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) listed.push({ runId: wf.runId, status: wf.status.name });
    const others = listed.filter((r) => r.runId !== latest?.runId);
    const caughtUp = latest === undefined || listed.length > others.length;
    if ((caughtUp && others.every((r) => r.status !== 'RUNNING')) || Date.now() > deadline) return latest ? [...others, latest] : others;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function statusOf(client: Client, workflowId: string, run: RunView): Promise<ChainEnd> {
  try {
    return { ...run, preview: await client.workflow.getHandle(workflowId, run.runId).query(statusQuery) };
  } catch {
    return run;
  }
}

export async function observe(client: Client, world: PreviewWorld, target: RaceTarget): Promise<Observed> {
  const latest = await latestRun(client, target.workflowId);
  const runs = await listRuns(client, target.workflowId, latest);
  const ends = runs.filter((r) => r.status !== 'CONTINUED_AS_NEW');
  const chainEnds = await Promise.all(ends.map((r) => statusOf(client, target.workflowId, r)));
  const ref = { repository: target.repository, repoKey: target.repoKey, prNumber: target.number };
  return {
    runs,
    chainEnds,
    latest: chainEnds.find((r) => r.runId === latest?.runId),
    namespace: world.cluster.namespace(modelNamespaceName(ref)),
    applications: world.cluster.applicationsOf(ref),
    shown: world.github.lastShown(target.key),
  };
}
