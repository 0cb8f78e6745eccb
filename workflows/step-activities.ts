import { ActivityCancellationType, proxyActivities, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';
import type { ResolvedLifecycleOptions } from '../src/lifecycle';
import { NON_RETRYABLE_FAILURE_TYPES, type LifecycleActivities, type PreviewRef } from './contract';

// Per-step timeouts, retries and task-queue priority. Cluster steps retry without an attempt
// limit: an API server or Argo CD outage only delays the preview, and a `closed`/`destroy`
// cancels the retrying step. Side steps (service choice, cost, reporting) are bounded, because
// the lifecycle has a safe answer without them (deploy everything, no cost, no comment).

const nonRetryableErrorTypes = [...NON_RETRYABLE_FAILURE_TYPES];

// No maximumAttempts: unlimited.
const untilItWorks: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes };
const aFewTimes: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3, nonRetryableErrorTypes };

/**
 * Task-queue priority of each kind of step (1 runs first; the server's default is 3). When the
 * workers are saturated, a teardown (resources being paid for, a TTL that promised an end)
 * goes ahead of a deploy, and a deploy ahead of a GitHub report that nobody waits on. Needs the
 * server's new matcher (`matching.useNewMatcher`), which Temporal enables by default from 1.29.
 */
export const STEP_PRIORITY = { teardown: 1, deploy: 2, side: 3, report: 4 } as const;

// A cancelled cluster step must have stopped before teardown starts, or an Application applied
// after teardown listed them would outlive the preview. (The SDK's default only requests it.)
const cluster: ActivityOptions = { startToCloseTimeout: '2m', retry: untilItWorks, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED };

export type StepActivities = LifecycleActivities;

/** The per-preview database steps: outages of the server are waited out like the cluster's. */
function databaseSteps(at: (priorityKey: number) => Pick<ActivityOptions, 'priority'>): Pick<StepActivities, 'fetchBootstrapSql' | 'provisionDatabase' | 'dropDatabase'> {
  const { fetchBootstrapSql } = proxyActivities<StepActivities>({ summary: 'Fetch the database bootstrap SQL', startToCloseTimeout: '1m', retry: untilItWorks, ...at(STEP_PRIORITY.deploy) });
  const { provisionDatabase } = proxyActivities<StepActivities>({ summary: 'Provision the preview database',
    // The schema bootstrap may run for up to databases.bootstrap.timeoutMs (the worker's setting);
    // the heartbeat, not this ceiling, notices a lost worker. Waiting for a cancelled attempt to
    // stop keeps it from overlapping the drop that teardown runs next.
    startToCloseTimeout: '65m',
    heartbeatTimeout: '1m',
    retry: untilItWorks,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    ...at(STEP_PRIORITY.deploy),
  });
  const { dropDatabase } = proxyActivities<StepActivities>({ summary: 'Drop the preview database', startToCloseTimeout: '2m', retry: untilItWorks, ...at(STEP_PRIORITY.teardown) });
  return { fetchBootstrapSql, provisionDatabase, dropDatabase };
}

/**
 * The activities as this preview calls them. `fairnessKey` is the operator's key of the
 * repository, so one repository opening hundreds of previews shares the workers with the
 * others instead of queueing them behind its backlog (`matching.enableFairness` on the server).
 */
export function stepActivities(options: ResolvedLifecycleOptions, ref: PreviewRef): StepActivities {
  const at = (priorityKey: number) => ({ priority: { priorityKey, fairnessKey: ref.repoKey } });
  // One proxy per activity: an activity's summary (shown in the Temporal UI's timeline) is a proxy option.
  const { ensureNamespace } = proxyActivities<StepActivities>({ summary: 'Ensure the preview namespace', ...cluster, ...at(STEP_PRIORITY.deploy) });
  const { applyBaseline } = proxyActivities<StepActivities>({ summary: 'Apply the namespace baseline', ...cluster, ...at(STEP_PRIORITY.deploy) });
  const { deployApps } = proxyActivities<StepActivities>({ summary: 'Deploy the apps through Argo CD', ...cluster, ...at(STEP_PRIORITY.deploy) });
  // One look at the cluster: a list call, so seconds are plenty; the workflow waits between looks.
  const { checkReady } = proxyActivities<StepActivities>({ summary: "Check the services' readiness", ...cluster, startToCloseTimeout: '1m', ...at(STEP_PRIORITY.deploy) });
  const { teardownStep } = proxyActivities<StepActivities>({ summary: 'Tear down one step of the preview', startToCloseTimeout: '2m', retry: untilItWorks, ...at(STEP_PRIORITY.teardown) });
  const { waitReady } = proxyActivities<StepActivities>({ summary: 'Wait for the services to be ready',
    // Runs from before the workflow-level-waits patch only. One readiness slice plus room for
    // the last poll; heartbeats notice a lost worker sooner.
    startToCloseTimeout: options.readinessSliceMs + 60_000,
    heartbeatTimeout: '30s',
    retry: untilItWorks,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    ...at(STEP_PRIORITY.deploy),
  });
  const { chooseServices } = proxyActivities<StepActivities>({ summary: 'Choose the services to deploy', startToCloseTimeout: '90s', retry: aFewTimes, ...at(STEP_PRIORITY.side) });
  // The deploy needs the lock file: a GitHub outage delays the round (a teardown cancels it), it never fails it.
  const { resolveImages } = proxyActivities<StepActivities>({ summary: 'Resolve the image lock', startToCloseTimeout: '1m', retry: untilItWorks, ...at(STEP_PRIORITY.deploy) });
  const { computeCost } = proxyActivities<StepActivities>({ summary: 'Compute the preview cost', startToCloseTimeout: '1m', retry: aFewTimes, ...at(STEP_PRIORITY.side) });
  const { reportPreview } = proxyActivities<StepActivities>({ summary: 'Report the preview to GitHub',
    startToCloseTimeout: '1m',
    // Rate limits can ask for minutes; past this budget the report is dropped, the next one is newer anyway.
    scheduleToCloseTimeout: '15m',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2m', nonRetryableErrorTypes },
    ...at(STEP_PRIORITY.report),
  });
  const { teardown } = proxyActivities<StepActivities>({ summary: 'Tear the preview down',
    // Runs from before the workflow-level-waits patch only: waits for Argo CD's finalizers and
    // namespace deletion, each with its own deadline inside.
    startToCloseTimeout: '30m',
    heartbeatTimeout: '1m',
    retry: untilItWorks,
    ...at(STEP_PRIORITY.teardown),
  });
  // One attempt: a sample observed twice is worse than one lost (workflows/preview-durations.ts).
  const { recordPreviewDuration } = proxyActivities<StepActivities>({ summary: 'Record a preview duration', startToCloseTimeout: '10s', scheduleToCloseTimeout: '1m', retry: { maximumAttempts: 1 }, ...at(STEP_PRIORITY.side) });
  // A confirmation that does not come quickly is skipped (the webhook stamps decide): GitHub must not hold up previews.
  const { readPullRequest } = proxyActivities<StepActivities>({ summary: 'Confirm the PR state with GitHub', startToCloseTimeout: '30s', scheduleToCloseTimeout: '1m', retry: aFewTimes, ...at(STEP_PRIORITY.side) });
  // One look at the head's checks (the CI gate); an unanswered look is retried by the gate's own poll.
  const { readChecks } = proxyActivities<StepActivities>({ summary: "Read the head's CI checks", startToCloseTimeout: '30s', retry: aFewTimes, ...at(STEP_PRIORITY.deploy) });
  return {
    ensureNamespace,
    applyBaseline,
    resolveImages,
    deployApps,
    waitReady,
    checkReady,
    chooseServices,
    computeCost,
    reportPreview,
    teardown,
    teardownStep,
    readPullRequest,
    readChecks,
    recordPreviewDuration,
    ...databaseSteps(at),
  };
}
