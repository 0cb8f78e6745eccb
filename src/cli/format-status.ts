import type { PreviewStatus } from '../../workflows/contract';

// The status query as a person reads it. `--json` prints the query result itself.

function line(label: string, value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : [`${`${label}:`.padEnd(12)} ${value}`];
}

export function formatStatus(s: PreviewStatus): string {
  const deployed = s.deployedHeadSha && s.deployedHeadSha !== s.desiredHeadSha ? ` (deployed ${s.deployedHeadSha.slice(0, 12)})` : '';
  return [
    `${s.repository}#${s.prNumber}  ${s.phase}${s.failureReason ? ` — ${s.failureReason}` : ''}`,
    ...line('workflow', s.workflowId),
    ...line('head', `${s.desiredHeadSha.slice(0, 12)}${deployed}`),
    ...line('namespace', s.namespace),
    ...s.urls.map((u) => `${`${u.service}:`.padEnd(12)} ${u.url}`),
    ...line('services', s.services.map((svc) => `${svc.name}=${svc.state}`).join(' ')),
    ...line('expires', `${s.expiresAt} (idle TTL ${s.idleTtl}${s.extendedTtl ? ', extended by label' : ''}; hard cap ${s.hardCapAt})`),
    ...line('cost', s.cost && `${s.cost.perHour.toFixed(4)} ${s.cost.currency}/h, ${s.cost.projectedToExpiry.toFixed(2)} ${s.cost.currency} until expiry`),
    ...line('last error', s.lastError && `${s.lastError.step}: ${s.lastError.message}`),
    ...line('teardown', s.teardownReason),
    ...(s.recentEvents.length > 0 ? ['recent:', ...s.recentEvents.slice(-5).map((e) => `  ${e.at}  ${e.kind}  ${e.detail}`)] : []),
  ].join('\n');
}
