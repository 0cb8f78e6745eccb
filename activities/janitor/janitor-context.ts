import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { FailureType } from '../../workflows/contract';
import type { DatabaseContext } from '../database';
import type { KubernetesActivityContext } from '../kubernetes';
import type { JanitorMetrics } from './janitor-metrics';

/** What every janitor activity is built from. */
export interface JanitorContext {
  readonly kube: KubernetesActivityContext;
  /** Asks visibility and describe() who owns a namespace; absent: the janitor cannot run. */
  readonly temporal?: Client;
  /** The workflow type that owns preview namespaces. */
  readonly lifecycleWorkflowType: string;
  readonly metrics?: JanitorMetrics;
  /** The shared PostgreSQL server of per-preview databases; absent: the database pass finds nothing. */
  readonly databases?: DatabaseContext;
}

/** Without a client nothing can be confirmed; retrying will not change that. */
export function requireTemporalClient(ctx: JanitorContext): Client {
  if (ctx.temporal) return ctx.temporal;
  throw ApplicationFailure.nonRetryable('the janitor activities were built without a Temporal client (ActivityDeps.temporalClient)', FailureType.JanitorNotConfigured);
}
