import type { PreviewState } from '../../workflows/contract';
import type { ExpiryView } from './expiry';
import { previewUrls } from './preview-status';

// The markdown the Temporal UI shows as a run's current details ("Summary & Details"): what an
// operator opening the run wants first. Only values previewd itself computes: phase, URLs it
// assigned, the head SHA, expiry, cost and the last error's step, type and message (the same
// words the PR comment shows). No PR title, branch or body, and no credentials: the database
// appears by name only.

const MAX_ERROR_CHARS = 200;

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_ERROR_CHARS ? `${flat.slice(0, MAX_ERROR_CHARS - 1)}…` : flat;
}

function currentDetails(state: PreviewState, expiry: ExpiryView): string {
  const lines = [`**Phase:** ${state.phase}${state.failureReason ? ` (${oneLine(state.failureReason)})` : ''}`];
  const urls = previewUrls(state.services);
  lines.push(urls.length === 0 ? '**URLs:** none yet' : `**URLs:** ${urls.map((u) => `[${u.service}](${u.url})`).join(', ')}`);
  lines.push(`**Head:** \`${state.desiredHeadSha.slice(0, 7)}\`${state.deployedHeadSha && state.deployedHeadSha !== state.desiredHeadSha ? ` (deployed \`${state.deployedHeadSha.slice(0, 7)}\`)` : ''}`);
  if (state.namespace) lines.push(`**Namespace:** \`${state.namespace}\``);
  lines.push(state.teardown ? `**Expiry:** teardown requested (${oneLine(state.teardown.reason)})` : `**Expires:** ${new Date(expiry.expiresAt).toISOString()}`);
  if (state.cost) lines.push(`**Cost:** ${state.cost.perHour.toFixed(2)} ${state.cost.currency}/h`);
  if (state.lastError) {
    const { step, type, message, at } = state.lastError;
    lines.push(`**Last error:** ${step}${type ? ` (${type})` : ''} at ${at}: ${oneLine(message)}`);
  }
  return lines.join('\n\n');
}

export { currentDetails };
