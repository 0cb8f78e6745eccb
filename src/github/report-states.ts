import { formatMoney } from './format';
import { truncate } from './markdown';
import { effectivePhase, type ReportSnapshot } from './report-snapshot';

// How a preview phase shows on GitHub. The commit status says whether previewd gave this
// commit a working preview; the deployment status is the environment's own lifecycle.
//
// - Failed is `error` (previewd or the platform could not deploy), Degraded is `failure` (the
//   commit's services did not become healthy): GitHub's own distinction between the two.
// - WaitingForChecks is `pending`: the reason names the checks the round waits for (`gate`).
// - Blocked is `failure`: the operator's budget refused to deploy this commit; the reason says
//   what to do (raise the budget, then `/preview redeploy`).
// - Teardown is not a verdict on the commit: a PR whose preview merely expired must not get a
//   red (or forever pending) required check, so the status turns `success` with the reason.

export const COMMIT_STATUS_CONTEXT = 'previewd';

/** GitHub caps commit and deployment status descriptions at 140 characters. */
export const DESCRIPTION_LIMIT = 140;

export type CommitState = 'pending' | 'success' | 'failure' | 'error';
export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'inactive';

export interface CommitStatusView {
  readonly state: CommitState;
  readonly description: string;
  readonly targetUrl?: string;
}

export interface DeploymentStatusView {
  readonly state: DeploymentState;
  readonly description: string;
  readonly environmentUrl?: string;
}

function readyCount(report: ReportSnapshot): string {
  const ready = report.services.filter((s) => s.state === 'Ready').length;
  return `${ready}/${report.services.length} services ready`;
}

function costSuffix(report: ReportSnapshot): string {
  return report.cost ? `, ${formatMoney(report.cost.perHour, report.cost.currency, 4)}/h` : '';
}

function why(report: ReportSnapshot, fallback: string): string {
  return report.reason ? `: ${report.reason}` : fallback;
}

/** A one-line summary of the phase, for both kinds of status. */
export function phaseDescription(report: ReportSnapshot): string {
  switch (effectivePhase(report)) {
    case 'Pending':
      return 'Preview queued';
    case 'WaitingForChecks':
      return `Waiting for CI${why(report, '')}`;
    case 'Provisioning':
      return 'Preparing the preview namespace';
    case 'Deploying':
      return `Deploying the preview (${readyCount(report)})`;
    case 'Ready':
      return `Preview ready (${report.services.length} services${costSuffix(report)})`;
    case 'Degraded':
      return `Preview degraded (${readyCount(report)})${why(report, '')}`;
    case 'Blocked':
      return `Preview blocked${why(report, '')}`;
    case 'Failed':
      return `Preview failed${why(report, '')}`;
    case 'TearingDown':
      return `Removing the preview${why(report, '')}`;
    case 'Destroyed':
      return `Preview removed${why(report, '')}`;
  }
}

export function primaryUrl(report: ReportSnapshot): string | undefined {
  return report.urls[0]?.url;
}

export function commitStatusFor(report: ReportSnapshot, links: { readonly logUrl?: string } = {}): CommitStatusView {
  const state: CommitState = {
    Pending: 'pending',
    WaitingForChecks: 'pending',
    Provisioning: 'pending',
    Deploying: 'pending',
    Ready: 'success',
    Degraded: 'failure',
    Blocked: 'failure',
    Failed: 'error',
    TearingDown: 'success',
    Destroyed: 'success',
  }[effectivePhase(report)] as CommitState;
  const live = effectivePhase(report) === 'Ready' || effectivePhase(report) === 'Degraded';
  const targetUrl = (live ? primaryUrl(report) : undefined) ?? links.logUrl;
  return { state, description: truncate(phaseDescription(report), DESCRIPTION_LIMIT), ...(targetUrl ? { targetUrl } : {}) };
}

/**
 * The deployment status a report asks for, or undefined when the deployment should stay as it
 * is (teardown in progress: the environment still exists until the final report).
 */
export function deploymentStatusFor(report: ReportSnapshot): DeploymentStatusView | undefined {
  const environmentUrl = primaryUrl(report);
  const view = (state: DeploymentState): DeploymentStatusView => ({
    state,
    description: truncate(phaseDescription(report), DESCRIPTION_LIMIT),
    ...(environmentUrl ? { environmentUrl } : {}),
  });
  const phase = effectivePhase(report);
  if (report.final || phase === 'Destroyed') return view('inactive');
  switch (phase) {
    case 'Pending':
    case 'WaitingForChecks':
    case 'Provisioning':
    case 'Deploying':
      return view('in_progress');
    case 'Ready':
      return view('success');
    case 'Degraded':
    case 'Blocked':
    case 'Failed':
      return view('failure');
    case 'TearingDown':
      return undefined;
  }
}
