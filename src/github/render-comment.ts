import type { PreviewPhase } from '../../workflows/contract';
import type { BudgetVerdict } from '../cost';
import { stickyCommentMarker } from './comment-marker';
import { formatMoney, formatUtc, shortSha } from './format';
import { codeSpan, inlineText, linkTarget } from './markdown';
import { effectivePhase, type ReportSnapshot } from './report-snapshot';

// The one sticky PR comment. Rendered from the report alone (no clock), so the same report
// always gives the same body: a retried report finds the comment already up to date and
// leaves it alone instead of editing it (and notifying people) again.

export interface CommentOptions {
  /** Prefix of PR comment commands, as the ingress parses them. */
  readonly commandPrefix?: string;
  /** Name of the CLI binary. */
  readonly cliName?: string;
  /** The per-preview budget check of the report's cost, when a budget is configured. */
  readonly budget?: BudgetVerdict;
  /** Link to the workflow run (Temporal UI), for people who want the details. */
  readonly logUrl?: string;
}

const HEADLINES: Record<PreviewPhase, string> = {
  Pending: '⏳ Preview queued',
  WaitingForChecks: '🚦 Waiting for CI checks',
  Provisioning: '🏗️ Preparing the preview',
  Deploying: '🚀 Deploying the preview',
  Ready: '✅ Preview ready',
  Degraded: '⚠️ Preview degraded',
  Blocked: '🚫 Preview blocked',
  Failed: '❌ Preview failed',
  TearingDown: '🧹 Removing the preview',
  Destroyed: '🗑️ Preview removed',
};

const SERVICE_ICONS: Record<string, string> = {
  Ready: '✅',
  Pending: '⏳',
  Deploying: '🚀',
  Progressing: '🔄',
  Degraded: '⚠️',
  Missing: '❓',
};

function servicesTable(report: ReportSnapshot): string[] {
  if (report.services.length === 0) return ['_No services deployed yet._'];
  const rows = report.services.map((s) => {
    const state = `${SERVICE_ICONS[s.state] ?? '•'} ${inlineText(s.state, 40)}${s.message ? ` — ${inlineText(s.message, 200)}` : ''}`;
    const target = s.url ? linkTarget(s.url) : undefined;
    const url = s.url ? (target ? `[${inlineText(s.url, 200)}](${target})` : inlineText(s.url, 200)) : '—';
    return `| ${codeSpan(s.name)} | ${state} | ${url} |`;
  });
  return ['| Service | State | URL |', '| --- | --- | --- |', ...rows];
}

function costLines(report: ReportSnapshot, budget: BudgetVerdict | undefined): string[] {
  if (!report.cost) return ['**Cost:** not measured yet'];
  const { perHour, projectedToExpiry, currency } = report.cost;
  const lines = [`**Cost:** ${formatMoney(perHour, currency, 4)} per hour · ${formatMoney(projectedToExpiry, currency)} projected until expiry`];
  if (budget?.status === 'exceeded') {
    const effect = budget.action === 'block' ? 'New deploys of this preview are blocked.' : 'This is a warning only.';
    // The blank line after the alert ends it: a following line would otherwise continue the quote.
    lines.push('', '> [!WARNING]', `> Over budget: ${inlineText(budget.message)}. ${effect}`, '');
  }
  return lines;
}

function commandsSection(report: ReportSnapshot, options: CommentOptions): string[] {
  const prefix = options.commandPrefix ?? '/preview';
  const cli = options.cliName ?? 'previewctl';
  const ref = `${report.preview.repository} ${report.preview.prNumber}`;
  const signal = `temporal workflow signal --workflow-id '${report.workflowId}' --name extend --input '{"by":"4h"}'`;
  return [
    '<details><summary>Extend, redeploy or destroy this preview</summary>',
    '',
    '| | PR comment (owners, members, collaborators) | CLI |',
    '| --- | --- | --- |',
    `| Extend by 4 hours | ${codeSpan(`${prefix} extend 4h`)} | ${codeSpan(`${cli} extend ${ref} 4h`)} |`,
    `| Deploy the latest commit again | ${codeSpan(`${prefix} redeploy`)} | — |`,
    `| Destroy now | ${codeSpan(`${prefix} destroy`)} | ${codeSpan(`${cli} destroy ${ref}`)} |`,
    '',
    `With the Temporal CLI: ${codeSpan(signal)}. Extensions stop at the hard cap. A push resets the idle timer.`,
    '',
    '</details>',
  ];
}

function detailsLine(report: ReportSnapshot, options: CommentOptions): string {
  const parts = [`**Commit:** ${codeSpan(shortSha(report.headSha))}`];
  if (report.deployedHeadSha && report.deployedHeadSha !== report.headSha) parts.push(`**Serving:** ${codeSpan(shortSha(report.deployedHeadSha))} until the new commit is deployed`);
  if (report.namespace) parts.push(`**Namespace:** ${codeSpan(report.namespace)}`);
  const log = options.logUrl ? linkTarget(options.logUrl) : undefined;
  if (log) parts.push(`[Workflow run](${log})`);
  return parts.join(' · ');
}

export function renderPreviewComment(report: ReportSnapshot, options: CommentOptions = {}): string {
  const phase = effectivePhase(report);
  const gone = report.final || phase === 'Destroyed';
  const lines = [stickyCommentMarker(report.preview), `### ${HEADLINES[phase]}`, ''];
  if (report.reason) lines.push(`**Reason:** ${inlineText(report.reason)}`, '');
  lines.push(...servicesTable(report), '', detailsLine(report, options));
  if (gone) {
    lines.push('', '_This preview and its namespace have been removed._');
    return `${lines.join('\n')}\n`;
  }
  lines.push(...['', ...costLines(report, options.budget)]);
  lines.push(`**Expires:** ${formatUtc(report.expiresAt)} (hard cap ${formatUtc(report.hardCapAt)})`, '');
  lines.push(...commandsSection(report, options));
  return `${lines.join('\n')}\n`;
}
