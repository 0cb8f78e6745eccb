import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import { PREVIEW_WORKFLOW_TYPE, type DeleteOrphanApplicationInput, type DropOrphanDatabaseInput, type JanitorActivities, type ScanForOrphansInput, type TearDownOrphanInput } from '../../workflows/contract';
import type { DatabaseContext } from '../database';
import { createKubernetesContext, type KubernetesActivityDeps } from '../kubernetes';
import { deleteOrphanApplication, scanForOrphanApplications } from './application-orphans';
import { dropOrphanDatabase, scanForOrphanDatabases } from './database-orphans';
import { requireTemporalClient, type JanitorContext } from './janitor-context';
import { JanitorMetrics } from './janitor-metrics';
import { scanForOrphans } from './scan-for-orphans';
import { tearDownOrphan } from './tear-down-orphan';
import { nudgeOutdatedPreviews } from './worker-version-nudge';

export interface JanitorActivityDeps {
  /** The cluster and its settings: the same deps the lifecycle's Kubernetes activities get. */
  readonly kubernetes: KubernetesActivityDeps;
  /** Client of the Temporal namespace the lifecycle workflows run in; absent: the activities fail non-retryably. */
  readonly temporalClient?: Client;
  /** Registry for the deletion and skip counters; absent: no janitor metrics. */
  readonly metricsRegistry?: Registry;
  /** The shared PostgreSQL server (activities/database); absent: no database pass. */
  readonly databases?: DatabaseContext;
  /** The Worker Deployment this worker polls as (`worker.deployment.name`); absent: unversioned, no worker-version pass. */
  readonly workerDeploymentName?: string;
}

/** The orphan janitor's activities, bound to one cluster, one Temporal namespace and (optionally) one database server. */
export function createJanitorActivities(deps: JanitorActivityDeps): JanitorActivities {
  const ctx: JanitorContext = {
    kube: createKubernetesContext(deps.kubernetes),
    temporal: deps.temporalClient,
    lifecycleWorkflowType: PREVIEW_WORKFLOW_TYPE,
    metrics: deps.metricsRegistry && new JanitorMetrics(deps.metricsRegistry),
    databases: deps.databases,
  };
  return {
    scanForOrphans: (input: ScanForOrphansInput) => scanForOrphans(ctx, input),
    tearDownOrphan: (input: TearDownOrphanInput) => tearDownOrphan(ctx, input),
    scanForOrphanDatabases: (input: ScanForOrphansInput) => scanForOrphanDatabases(ctx, input),
    dropOrphanDatabase: (input: DropOrphanDatabaseInput) => dropOrphanDatabase(ctx, input),
    scanForOrphanApplications: (input: ScanForOrphansInput) => scanForOrphanApplications(ctx, input),
    deleteOrphanApplication: (input: DeleteOrphanApplicationInput) => deleteOrphanApplication(ctx, input),
    nudgeOutdatedPreviews: async () => {
      if (!deps.workerDeploymentName) return { configured: false, nudged: 0, failed: 0 };
      const client = requireTemporalClient(ctx);
      return nudgeOutdatedPreviews({ client, deploymentName: deps.workerDeploymentName, workflowType: PREVIEW_WORKFLOW_TYPE, progress: () => Context.current().heartbeat() });
    },
  };
}
