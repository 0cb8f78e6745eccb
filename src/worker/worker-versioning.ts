import { setTimeout as sleep } from 'node:timers/promises';
import { status } from '@grpc/grpc-js';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { nudgeOutdatedPreviews } from '../../activities/janitor';
import type { WorkerDeployment } from '../config';
import { PREVIEW_WORKFLOW_TYPE } from '../../workflows/contract';
import type { StartupLogger } from './schedules';

// The newest build makes itself the Worker Deployment's current version once it polls (the
// server refuses a version it has seen no poller of), then wakes the previews pinned to older
// versions so they move (workflows/continue-as-new.ts). The janitor repeats the wake-up on its
// schedule, for versions made current by hand (`temporal worker deployment set-current-version`)
// and for runs this pass missed.

const RETRY_MS = 1_000;
const ATTEMPTS = 120;

/** gRPC codes the server answers while this version's pollers are not registered yet. */
const NOT_YET: ReadonlySet<number> = new Set([status.NOT_FOUND, status.FAILED_PRECONDITION]);

async function setCurrentOnce(client: Client, deployment: WorkerDeployment): Promise<void> {
  await client.workflowService.setWorkerDeploymentCurrentVersion({
    namespace: client.options.namespace,
    deploymentName: deployment.name,
    buildId: deployment.buildId,
    identity: `previewd worker ${deployment.buildId}`,
  });
}

/** Retries while the server has not seen this version poll; gives up after about two minutes (the log says so). */
export async function becomeCurrentVersion(client: Client, deployment: WorkerDeployment, logger: StartupLogger, signal: AbortSignal): Promise<boolean> {
  for (let attempt = 1; attempt <= ATTEMPTS && !signal.aborted; attempt++) {
    try {
      await setCurrentOnce(client, deployment);
      return true;
    } catch (err) {
      if (!(isGrpcServiceError(err) && NOT_YET.has(err.code)) || attempt === ATTEMPTS) {
        logger.error({ deployment: deployment.name, buildId: deployment.buildId, err: (err as Error).message }, 'could not make this build the current worker version; set it with `temporal worker deployment set-current-version`');
        return false;
      }
      await sleep(RETRY_MS, undefined, { signal }).catch(() => undefined);
    }
  }
  return false;
}

/** In the background of the worker's start: never delays readiness, never ends the process. */
export async function promoteAndWake(client: Client, deployment: WorkerDeployment, logger: StartupLogger, signal: AbortSignal): Promise<void> {
  if (!(await becomeCurrentVersion(client, deployment, logger, signal))) return;
  logger.info({ deployment: deployment.name, buildId: deployment.buildId }, 'this build is the current worker version');
  try {
    const nudge = await nudgeOutdatedPreviews({ client, deploymentName: deployment.name, workflowType: PREVIEW_WORKFLOW_TYPE });
    logger.info({ nudged: nudge.nudged, failed: nudge.failed }, 'previews pinned to older worker versions woken to move');
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'could not wake previews pinned to older worker versions; the janitor tries again');
  }
}
