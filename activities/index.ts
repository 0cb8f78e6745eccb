import { ApplicationFailure, type Logger } from '@temporalio/common';
import { log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import {
  FailureType,
  type JanitorActivities,
  type LifecycleActivities,
  type PreviewRef,
  type ResolveImagesInput,
  type ResolveImagesResult,
  type WebhookRedeliveryActivities,
} from '../workflows/contract';
import type { BudgetPolicy, CostRates } from '../src/config/cost';
import { AiMetrics, createAiActivities, DEFAULT_AI_TIMEOUT_MS, temporalAnswerCache, type AiDetectorOptions, type AnswerCache } from './ai';
import { CostMetrics, createCostActivities } from './cost';
import { createDatabaseActivities, type DatabaseContext } from './database';
import { createGitHubActivities, type ChangedFilesResult, type GitHubActivities, type GitHubCredentials } from './github';
import { createJanitorActivities } from './janitor';
import { createKubernetesActivities, type KubernetesActivityDeps } from './kubernetes';
import { createMetricsActivities, PreviewDurationMetrics } from './metrics';
import { createRedeliveryActivities } from './webhook-redelivery';

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
  /** The AI answer cache, shared through Temporal (needs `temporalClient`); absent: every request asks the model. */
  readonly aiCache?: { readonly taskQueue: string; readonly ttlMs: number };
  /** The shared PostgreSQL server (its admin pool, settings, Secret store); absent: a repository that enables a database fails with DatabaseNotConfigured. */
  readonly database?: DatabaseContext;
  readonly rates?: CostRates;
  readonly budget?: BudgetPolicy;
  /** Client of the workflows' Temporal namespace, for the janitor's ownership checks and the AI answer cache; absent: the janitor activities fail non-retryably. */
  readonly temporalClient?: Client;
  /** The Worker Deployment the worker polls as (`worker.deployment.name`); absent: unversioned. */
  readonly workerDeploymentName?: string;
  /** Registry for the cost gauges, janitor and redelivery counters, AI and duration metrics; absent: no such metrics. */
  readonly metricsRegistry?: Registry;
  readonly logger?: Logger;
  /** Replace single activities (tests). */
  readonly overrides?: Partial<LifecycleActivities>;
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

/** A margin over one model call's timeout: how long the cache lets a filler take. */
const CACHE_LEASE_MARGIN_MS = 10_000;

function answerCache(deps: ActivityDeps, metrics: AiMetrics | undefined): AnswerCache | undefined {
  if (!deps.ai || !deps.aiCache || !deps.temporalClient) return undefined;
  return temporalAnswerCache({
    client: deps.temporalClient,
    taskQueue: deps.aiCache.taskQueue,
    ttlMs: deps.aiCache.ttlMs,
    leaseMs: (deps.ai.timeoutMs ?? DEFAULT_AI_TIMEOUT_MS) + CACHE_LEASE_MARGIN_MS,
    logger: deps.logger ?? log,
    metrics,
  });
}

/** The per-preview database steps; without a database server they fail at once, saying why. */
function databaseActivities(deps: ActivityDeps, github: GitHubActivities | undefined): Pick<LifecycleActivities, 'fetchBootstrapSql' | 'provisionDatabase' | 'dropDatabase'> {
  const notConfigured = (): Promise<never> =>
    Promise.reject(ApplicationFailure.nonRetryable('the repository asks for a database, but the worker has no databases section (the shared PostgreSQL server)', FailureType.DatabaseNotConfigured));
  if (!deps.database) return { fetchBootstrapSql: notConfigured, provisionDatabase: notConfigured, dropDatabase: notConfigured };
  const db = createDatabaseActivities(deps.database);
  const maxBytes = deps.database.settings.bootstrap.maxBytes;
  return {
    fetchBootstrapSql: github
      ? (input) => github.fetchBootstrapSql(input, maxBytes)
      : () => Promise.reject(ApplicationFailure.nonRetryable('GitHub is not configured (github.auth): the database bootstrap SQL cannot be read', FailureType.GitHubNotConfigured)),
    provisionDatabase: db.provisionDatabase,
    dropDatabase: db.dropDatabase,
  };
}

export function createActivities(deps: ActivityDeps): LifecycleActivities & JanitorActivities & WebhookRedeliveryActivities {
  const kubernetes = createKubernetesActivities(deps.kubernetes);
  const github = deps.github && createGitHubActivities({ ...deps.github, logger: deps.logger });
  const aiMetrics = deps.metricsRegistry && new AiMetrics(deps.metricsRegistry);
  const ai = createAiActivities({ listChangedFiles: github?.listChangedFiles ?? noChangedFiles, ai: deps.ai, logger: deps.logger, metrics: aiMetrics, cache: answerCache(deps, aiMetrics) });
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
    // A gate without GitHub can never pass: the round ends Failed and says why.
    readChecks: github?.readChecks ?? (() => Promise.reject(ApplicationFailure.nonRetryable('the repository has a CI gate (gate.checks), but GitHub is not configured (github.auth): its checks cannot be read', FailureType.GitHubNotConfigured))),
    ...databaseActivities(deps, github),
    ...createMetricsActivities(deps.metricsRegistry && new PreviewDurationMetrics(deps.metricsRegistry)),
    ...createJanitorActivities({ kubernetes: deps.kubernetes, temporalClient: deps.temporalClient, metricsRegistry: deps.metricsRegistry, databases: deps.database, workerDeploymentName: deps.workerDeploymentName }),
    ...createRedeliveryActivities({ auth: deps.github?.auth, apiBaseUrl: deps.github?.apiBaseUrl, metricsRegistry: deps.metricsRegistry, logger: deps.logger }),
    ...deps.overrides,
  };
}
