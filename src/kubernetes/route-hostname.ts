import type { ClusterSettings } from './cluster-settings';
import { assertPrNumber } from './namespace-name';

/**
 * `<svc>-pr-<n>.<env>.<domain>` (seed 000 "Preview URL scheme"): one label under the
 * environment zone, so the existing `*.<env>.<domain>` wildcard certificate and DNS cover it.
 * Never `<svc>.pr<n>.<domain>`, which would need a two-level wildcard.
 */
export function routeHostname(settings: Pick<ClusterSettings, 'baseEnvironment' | 'domain'>, service: string, prNumber: number): string {
  assertPrNumber(prNumber);
  const first = `${service}-pr-${prNumber}`;
  if (first.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(first)) {
    throw new Error(`hostname label ${JSON.stringify(first)} is not a DNS-1123 label of at most 63 characters`);
  }
  const host = `${first}.${settings.baseEnvironment.name}.${settings.domain}`;
  if (host.length > 253) throw new Error(`hostname ${host} is longer than 253 characters`);
  return host;
}

export function routeUrl(settings: Pick<ClusterSettings, 'baseEnvironment' | 'domain'>, service: string, prNumber: number): string {
  return `https://${routeHostname(settings, service, prNumber)}`;
}
