import { projectCost } from './cost-projection';
import { formatDuration } from './duration';
import { expiryView } from './expiry';
import type { PreviewPhase } from './phase';
import type { LastError, PreviewState, ServiceState } from './preview-state';
import type { PreviewEvent } from './recent-events';
import type { ResolvedTtlPolicy } from './ttl-policy';

/** What the `status` query returns: everything a person or the CLI needs, as JSON. */
export interface PreviewStatus {
  readonly workflowId: string;
  readonly repository: string;
  readonly prNumber: number;
  readonly phase: PreviewPhase;
  readonly failureReason?: string;
  readonly desiredHeadSha: string;
  readonly deployedHeadSha?: string;
  readonly namespace?: string;
  readonly services: readonly ServiceState[];
  readonly urls: readonly { readonly service: string; readonly url: string }[];
  readonly labels: readonly string[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly hardCapAt: string;
  /** Idle TTL the labels select, e.g. `4h` or `1d`. */
  readonly idleTtl: string;
  readonly extendedTtl: boolean;
  readonly cost?: { readonly perHour: number; readonly projectedToExpiry: number; readonly currency: string };
  readonly lastError?: LastError;
  readonly teardownReason?: string;
  readonly recentEvents: readonly PreviewEvent[];
  readonly eventsHandled: number;
  readonly run: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function previewUrls(services: readonly ServiceState[]): { service: string; url: string }[] {
  return services.flatMap((s) => (s.url ? [{ service: s.name, url: s.url }] : []));
}

export function previewStatus(state: PreviewState, policy: ResolvedTtlPolicy, now: number): PreviewStatus {
  const view = expiryView(state.expiry, policy, state.labels);
  return {
    workflowId: state.workflowId,
    repository: state.repository,
    prNumber: state.prNumber,
    phase: state.phase,
    failureReason: state.failureReason,
    desiredHeadSha: state.desiredHeadSha,
    deployedHeadSha: state.deployedHeadSha,
    namespace: state.namespace,
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
