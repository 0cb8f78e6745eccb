import { status } from '@grpc/grpc-js';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { workerVersionCheckSignal, type WorkerVersionNudge } from '../../workflows/contract';

// Pinned previews move to a new worker version only at continue-as-new, which an idle preview
// (hours on a timer) never reaches by itself. This wakes each running preview that is pinned
// to another version of the deployment than its current one; the workflow task the signal
// causes tells the run that its target version changed, and it continues as new onto it.
// Safe to repeat: a run already on the current version ignores the signal.

const CONCURRENCY = 8;

/** `<deployment>:<build id>`, the form of Temporal's TemporalWorkerDeploymentVersion search attribute. */
export function deploymentVersionString(deploymentName: string, buildId: string): string {
  return `${deploymentName}:${buildId}`;
}

/** Visibility query for running runs of `workflowType` pinned to any version of the deployment but `current`. */
export function outdatedRunsQuery(workflowType: string, deploymentName: string, current: string): string {
  return `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Running' AND TemporalWorkerDeployment = '${deploymentName}' AND TemporalWorkerDeploymentVersion != '${current}'`;
}

/** The deployment's current version, or undefined while none is set (or the deployment is unknown). */
export async function currentDeploymentVersion(client: Client, deploymentName: string): Promise<string | undefined> {
  try {
    const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({ namespace: client.options.namespace, deploymentName });
    const version = workerDeploymentInfo?.routingConfig?.currentDeploymentVersion;
    return version?.buildId ? deploymentVersionString(deploymentName, version.buildId) : undefined;
  } catch (err) {
    // NOT_FOUND: no worker of this deployment has polled yet, so no run can be pinned to it.
    if (isGrpcServiceError(err) && err.code === status.NOT_FOUND) return undefined;
    throw err;
  }
}

export interface NudgeOptions {
  readonly client: Client;
  readonly deploymentName: string;
  readonly workflowType: string;
  /** Called after each signal (an activity heartbeats here). */
  readonly progress?: () => void;
}

/** Signals `workerVersionCheck` to every outdated pinned run; one run's failure (say it just ended) does not stop the others. */
export async function nudgeOutdatedPreviews(options: NudgeOptions): Promise<WorkerVersionNudge> {
  const current = await currentDeploymentVersion(options.client, options.deploymentName);
  if (!current) return { configured: true, nudged: 0, failed: 0 };
  const ids: string[] = [];
  for await (const run of options.client.workflow.list({ query: outdatedRunsQuery(options.workflowType, options.deploymentName, current) })) ids.push(run.workflowId);
  let failed = 0;
  for (let i = 0; i < ids.length; i += CONCURRENCY) {
    const outcomes = await Promise.allSettled(ids.slice(i, i + CONCURRENCY).map((id) => options.client.workflow.getHandle(id).signal(workerVersionCheckSignal)));
    failed += outcomes.filter((o) => o.status === 'rejected').length;
    options.progress?.();
  }
  return { configured: true, currentVersion: current, nudged: ids.length - failed, failed };
}
