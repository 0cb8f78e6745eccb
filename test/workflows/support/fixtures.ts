import type { Client, WorkflowHandle } from '@temporalio/client';
import { repositoryConfigSchema, type LifecycleOptions, type RepositoryConfig } from '../../../src/config';
import { previewWorkflowId } from '../../../src/lifecycle';
import { PREVIEW_WORKFLOW_TYPE, prEventSignal, type PreviewLifecycleInput, type PreviewLifecycleWorkflow, type PrEvent, type PrEventAction } from '../../../workflows/contract';

export type PreviewHandle = WorkflowHandle<PreviewLifecycleWorkflow>;

/** A full 40-hex head SHA, distinct per `n`. */
export function sha(n: number): string {
  return n.toString(16).padStart(8, '0').repeat(5);
}

const source = (name: string) => ({ repoURL: 'https://git.example.test/gitops.git', path: `apps/${name}`, image: `registry.example.test/shop/${name}` });

/** Two rollout phases: a database at 610, then an exposed web app at 650 that depends on it. */
export function repoConfig(fullName: string, overrides: Record<string, unknown> = {}): RepositoryConfig {
  return repositoryConfigSchema.parse({
    fullName,
    key: 'shop',
    scope: 'all',
    services: [
      { name: 'db', phase: 610, source: source('db') },
      { name: 'web', phase: 650, dependsOn: ['db'], expose: { port: 8080 }, source: source('web') },
    ],
    ...overrides,
  });
}

let deliveries = 0;

export function prEvent(action: PrEventAction, fields: Partial<PrEvent> = {}): PrEvent {
  deliveries++;
  return { action, headSha: sha(1), labels: ['preview'], sender: 'octocat', deliveryId: `delivery-${Date.now().toString(36)}-${deliveries}`, ...fields };
}

export interface PreviewSpec {
  readonly repository: string;
  readonly number?: number;
  readonly headSha?: string;
  readonly labels?: readonly string[];
  readonly config?: RepositoryConfig;
  readonly options?: LifecycleOptions;
}

export function lifecycleInput(spec: PreviewSpec): PreviewLifecycleInput {
  return {
    pr: { repository: spec.repository, number: spec.number ?? 7, headSha: spec.headSha ?? sha(1), labels: spec.labels ?? ['preview'], author: 'octocat' },
    config: spec.config ?? repoConfig(spec.repository),
    // Runs end right after their teardown (no retention), so tests can await the outcome.
    options: { retainAfterTeardown: '0s', ...spec.options },
  };
}

/** Starts (or signals) the preview the way the ingress does: signal-with-start of the opening event. */
export async function startPreview(client: Client, taskQueue: string, spec: PreviewSpec): Promise<PreviewHandle> {
  const input = lifecycleInput(spec);
  const workflowId = previewWorkflowId({ repository: input.pr.repository, number: input.pr.number });
  const opened = prEvent('opened', { headSha: input.pr.headSha, labels: input.pr.labels });
  return client.workflow.signalWithStart<PreviewLifecycleWorkflow, [PrEvent]>(PREVIEW_WORKFLOW_TYPE, {
    taskQueue,
    workflowId,
    args: [input],
    signal: prEventSignal,
    signalArgs: [opened],
  });
}
