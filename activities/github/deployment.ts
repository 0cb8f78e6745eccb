import type { Octokit } from '@octokit/rest';
import { deploymentStatusFor, previewEnvironmentName, splitRepository, type DeploymentStatusView, type ReportSnapshot, type RepositoryName } from '../../src/github';
import { githubCall } from './github-call';
import type { GitHubContext } from './github-context';

// One GitHub Deployment per head SHA in the PR's environment `preview/<repo>/pr-<n>`:
// transient (it goes away) and not production. Its statuses follow the preview; when a newer
// SHA gets a deployment, older ones turn inactive, and the final report turns them all
// inactive. Every step reads before it writes, so a retried report adds no duplicate
// deployment and no repeated status.

/** GitHub's `task` field: tells previewd's deployments apart from others in the same environment. */
export const DEPLOYMENT_TASK = 'deploy:preview';

type Deployment = { readonly id: number; readonly sha: string; readonly task: string };

async function listDeployments(octokit: Octokit, repo: RepositoryName, environment: string): Promise<Deployment[]> {
  // Newest first. One page is plenty: only the newest deployments can still be active.
  const { data } = await octokit.rest.repos.listDeployments({ ...repo, environment, task: DEPLOYMENT_TASK, per_page: 100 });
  return data.filter((d) => d.task === DEPLOYMENT_TASK);
}

async function createDeployment(octokit: Octokit, repo: RepositoryName, environment: string, report: ReportSnapshot, description: string): Promise<Deployment> {
  const { data, status } = await octokit.rest.repos.createDeployment({
    ...repo,
    ref: report.headSha,
    task: DEPLOYMENT_TASK,
    environment,
    description,
    // The preview deploys the PR head as it is: no merge of the default branch, and no
    // required status checks (previewd's own pending status would block it).
    auto_merge: false,
    required_contexts: [],
    transient_environment: true,
    production_environment: false,
    payload: { workflowId: report.workflowId, ...(report.namespace ? { namespace: report.namespace } : {}) },
  });
  if (!('id' in data)) throw new Error(`GitHub did not create the deployment (HTTP ${status}): ${data.message ?? 'no message'}`);
  return data;
}

async function latestStatus(octokit: Octokit, repo: RepositoryName, deploymentId: number) {
  const { data } = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: deploymentId, per_page: 1 });
  return data[0];
}

async function postStatus(octokit: Octokit, repo: RepositoryName, deploymentId: number, view: DeploymentStatusView, logUrl: string | undefined): Promise<void> {
  const latest = await latestStatus(octokit, repo, deploymentId);
  const same = latest && latest.state === view.state && (latest.description ?? '') === view.description && (latest.environment_url ?? '') === (view.environmentUrl ?? '');
  if (same) return;
  await octokit.rest.repos.createDeploymentStatus({
    ...repo,
    deployment_id: deploymentId,
    state: view.state,
    description: view.description,
    // Older deployments are made inactive here explicitly; GitHub's auto_inactive skips transient environments.
    auto_inactive: false,
    ...(view.environmentUrl ? { environment_url: view.environmentUrl } : {}),
    ...(logUrl ? { log_url: logUrl } : {}),
  });
}

/** Older deployments, newest first, until one that is already inactive (everything before it was handled then). */
async function deactivate(octokit: Octokit, repo: RepositoryName, deployments: readonly Deployment[], view: DeploymentStatusView): Promise<void> {
  for (const d of deployments) {
    const latest = await latestStatus(octokit, repo, d.id);
    if (latest?.state === 'inactive') return;
    await octokit.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: d.id,
      state: 'inactive',
      description: view.state === 'inactive' ? view.description : 'Superseded by a newer commit',
      auto_inactive: false,
      ...(view.state === 'inactive' && view.environmentUrl ? { environment_url: view.environmentUrl } : {}),
    });
  }
}

export function syncDeployment(ctx: GitHubContext, report: ReportSnapshot): Promise<void> {
  const view = deploymentStatusFor(report);
  if (!view) return Promise.resolve();
  const repo = splitRepository(report.preview.repository);
  const environment = previewEnvironmentName(report.preview);
  const logUrl = ctx.workflowUrl?.(report.workflowId);
  return githubCall(ctx, 'deployment', report.preview.repository, async (octokit) => {
    const deployments = await listDeployments(octokit, repo, environment);
    if (view.state === 'inactive') return deactivate(octokit, repo, deployments, view);
    const current = deployments.find((d) => d.sha === report.headSha) ?? (await createDeployment(octokit, repo, environment, report, view.description));
    await deactivate(
      octokit,
      repo,
      deployments.filter((d) => d.id !== current.id),
      view,
    );
    await postStatus(octokit, repo, current.id, view, logUrl);
  });
}
