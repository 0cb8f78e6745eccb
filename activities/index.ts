import { ApplicationFailure, type Logger } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import { FailureType, type JanitorActivities, type PreviewActivities, type PreviewRef, type ResolveImagesInput, type ResolveImagesResult } from '../workflows/contract';
import type { BudgetPolicy, CostRates } from '../src/config/cost';
import { createAiActivities, type AiDetectorOptions } from './ai';
import { CostMetrics, createCostActivities } from './cost';
import { createGitHubActivities, type ChangedFilesResult, type GitHubCredentials } from './github';
import { createJanitorActivities } from './janitor';
import { createKubernetesActivities, type KubernetesActivityDeps } from './kubernetes';

// Every activity the workflows proxy, built from injected clients and settings. Processes
// (worker, dev mode) call createActivities once; tests pass doubles for what they do not
// exercise through `overrides`. The result is typed as the workflow contract's interfaces, and
// each sub-factory `satisfies` its part of them, so an implementation that drifts from the
// contract is a compile error.

export interface ActivityDeps {
  readonly kubernetes: KubernetesActivityDeps;
  /** GitHub API and credentials; absent: no reporting, and every service is deployed (no changed files). */
  readonly github?: {
    readonly auth: GitHubCredentials;
    readonly apiBaseUrl?: string;
    readonly budget?: BudgetPolicy;
    /** Link from the PR comment to the run in the Temporal UI. */
    readonly workflowUrl?: (workflowId: string) => string;
  };
  /** OpenAI-compatible service choice; absent: the static choice is final. */
  readonly ai?: AiDetectorOptions;
  readonly rates?: CostRates;
  readonly budget?: BudgetPolicy;
  /** Client of the workflows' Temporal namespace, for the janitor's ownership checks; absent: the janitor activities fail non-retryably. */
  readonly temporalClient?: Client;
  /** Registry for the cost gauges and janitor counters; absent: no such metrics. */
  readonly metricsRegistry?: Registry;
  readonly logger?: Logger;
  /** Replace single activities (tests). */
  readonly overrides?: Partial<PreviewActivities>;
}

/**
 * Without GitHub the PR's changed files are unknown. Non-retryable, so the service choice
 * deploys every service at once instead of retrying a call that cannot succeed.
 */
function noChangedFiles(_preview: PreviewRef): Promise<ChangedFilesResult> {
  return Promise.reject(ApplicationFailure.nonRetryable('GitHub is not configured (github.auth): changed files are unknown', FailureType.GitHubNotConfigured));
}

/** A lock file can only be read from GitHub: without credentials the preview fails, saying so. */
function noLockFile(input: ResolveImagesInput): Promise<ResolveImagesResult> {
  return Promise.reject(
    ApplicationFailure.nonRetryable(`images.mode ${input.selection.mode} reads ${input.selection.lockFile} from GitHub, and GitHub is not configured (github.auth)`, FailureType.GitHubNotConfigured),
  );
}

export function createActivities(deps: ActivityDeps): PreviewActivities & JanitorActivities {
  const kubernetes = createKubernetesActivities(deps.kubernetes);
  const github = deps.github && createGitHubActivities({ ...deps.github, logger: deps.logger });
  const ai = createAiActivities({ listChangedFiles: github?.listChangedFiles ?? noChangedFiles, ai: deps.ai, logger: deps.logger });
  const costMetrics = deps.metricsRegistry && new CostMetrics(deps.metricsRegistry);
  const cost = createCostActivities({ readWorkloads: kubernetes.readWorkloads, rates: deps.rates, budget: deps.budget, metrics: costMetrics });
  return {
    ensureNamespace: kubernetes.ensureNamespace,
    applyBaseline: kubernetes.applyBaseline,
    resolveImages: github?.resolveImages ?? noLockFile,
    chooseServices: ai.chooseServices,
    deployApps: kubernetes.deployApps,
    waitReady: kubernetes.waitReady,
    checkReady: kubernetes.checkReady,
    computeCost: cost.computeCost,
    // Without GitHub there is nobody to report to; the preview itself works the same.
    reportPreview: github?.reportPreview ?? (() => Promise.resolve()),
    // A destroyed preview leaves no cost gauges behind (they would report it for the process's life).
    teardown: async (input) => {
      const result = await kubernetes.teardown(input);
      costMetrics?.forget(input.preview);
      return result;
    },
    teardownStep: async (input) => {
      const step = await kubernetes.teardownStep(input);
      if (step.stage === 'gone') costMetrics?.forget(input.preview);
      return step;
    },
    // Without GitHub the webhook's stamps alone order the events (docs: ordering without GitHub).
    readPullRequest: github?.readPullRequest ?? (() => Promise.resolve({ configured: false })),
    ...createJanitorActivities({ kubernetes: deps.kubernetes, temporalClient: deps.temporalClient, metricsRegistry: deps.metricsRegistry }),
    ...deps.overrides,
  };
}
