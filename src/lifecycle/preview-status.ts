import type { PreviewState, PreviewStatus, ServiceState } from '../../workflows/contract';
import { formatDuration } from '../config/durations';
import { projectCost } from './cost-projection';
import type { ExpiryView } from './expiry';

// The `status` query's answer (PreviewStatus, workflows/contract), built from the state and the
// expiry view the workflow keeps current.

const iso = (ms: number): string => new Date(ms).toISOString();

export function previewUrls(services: readonly ServiceState[]): { service: string; url: string }[] {
  return services.flatMap((s) => (s.url ? [{ service: s.name, url: s.url }] : []));
}

export function previewStatus(state: PreviewState, view: ExpiryView, now: number): PreviewStatus {
  return {
    workflowId: state.workflowId,
    repository: state.repository,
    prNumber: state.prNumber,
    phase: state.phase,
    failureReason: state.failureReason,
    desiredHeadSha: state.desiredHeadSha,
    deployedHeadSha: state.deployedHeadSha,
    namespace: state.namespace,
    database: state.database,
    services: state.services,
    urls: previewUrls(state.services),
    labels: state.labels,
    createdAt: iso(state.expiry.createdAt),
    expiresAt: iso(view.expiresAt),
    hardCapAt: iso(view.hardCapAt),
    idleTtl: formatDuration(view.idleTtlMs),
    extendedTtl: view.extendedTtl,
    cost: state.cost && {
      perHour: state.cost.perHour,
      projectedToExpiry: projectCost(state.cost.perHour, now, view.expiresAt),
      currency: state.cost.currency,
    },
    lastError: state.lastError,
    teardownReason: state.teardown?.reason,
    recentEvents: state.recentEvents,
    eventsHandled: state.eventsHandled,
    run: state.run,
  };
}
