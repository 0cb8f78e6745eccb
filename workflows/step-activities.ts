import { ActivityCancellationType, proxyActivities, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';
import type { ResolvedLifecycleOptions } from '../src/lifecycle';
import { NON_RETRYABLE_FAILURE_TYPES, type PreviewActivities } from './contract';

// Per-step timeouts and retries. Cluster steps retry without an attempt limit: an API server
// or Argo CD outage only delays the preview, and a `closed`/`destroy` cancels the retrying
// step. Side steps (service choice, cost, reporting) are bounded, because the lifecycle has a
// safe answer without them (deploy everything, no cost, no comment).

const nonRetryableErrorTypes = [...NON_RETRYABLE_FAILURE_TYPES];

// No maximumAttempts: unlimited.
const untilItWorks: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes };
const aFewTimes: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3, nonRetryableErrorTypes };

// A cancelled cluster step must have stopped before teardown starts, or an Application applied
// after teardown listed them would outlive the preview. (The SDK's default only requests it.)
const cluster: ActivityOptions = { startToCloseTimeout: '2m', retry: untilItWorks, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED };

export type StepActivities = PreviewActivities;

export function stepActivities(options: ResolvedLifecycleOptions): StepActivities {
  const { ensureNamespace, applyBaseline, deployApps } = proxyActivities<PreviewActivities>(cluster);
  const { waitReady } = proxyActivities<PreviewActivities>({
    // One readiness slice plus room for the last poll; heartbeats notice a lost worker sooner.
    startToCloseTimeout: options.readinessSliceMs + 60_000,
    heartbeatTimeout: '30s',
    retry: untilItWorks,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  const { chooseServices } = proxyActivities<PreviewActivities>({ startToCloseTimeout: '90s', retry: aFewTimes });
  const { computeCost } = proxyActivities<PreviewActivities>({ startToCloseTimeout: '1m', retry: aFewTimes });
  const { reportPreview } = proxyActivities<PreviewActivities>({
    startToCloseTimeout: '1m',
    // Rate limits can ask for minutes; past this budget the report is dropped, the next one is newer anyway.
    scheduleToCloseTimeout: '15m',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2m', nonRetryableErrorTypes },
  });
  const { teardown } = proxyActivities<PreviewActivities>({
    // Waits for Argo CD's finalizers and namespace deletion, each with its own deadline inside.
    startToCloseTimeout: '30m',
    heartbeatTimeout: '1m',
    retry: untilItWorks,
  });
  return { ensureNamespace, applyBaseline, deployApps, waitReady, chooseServices, computeCost, reportPreview, teardown };
}
