import { serviceConfigSchema, type ServiceConfig, parseClusterSettings, type ClusterSettings, type ClusterSettingsInput } from '../../../src/config';
import type { PreviewRef } from '../../../workflows/contract';

export const SHA_A = 'a'.repeat(40);
export const SHA_B = '0123456789abcdef0123456789abcdef01234567';

export const preview: PreviewRef = { repository: 'acme/shop', repoKey: 'shop', prNumber: 503 };

export function settings(overrides: Partial<ClusterSettingsInput> = {}): ClusterSettings {
  return parseClusterSettings({
    labelDomain: 'acme.io',
    baseEnvironment: { name: 'dev', namespace: 'dev', label: 'acme.io/environment' },
    domain: 'acme.io',
    routes: { kind: 'HTTPRoute', gateway: { name: 'shared', namespace: 'gateway-system', sectionName: 'https' } },
    ...overrides,
  });
}

export function service(overrides: Record<string, unknown> = {}): ServiceConfig {
  return serviceConfigSchema.parse({
    name: 'www',
    phase: 650,
    expose: { port: 8080 },
    source: { repoURL: 'https://git.acme.io/gitops.git', path: 'apps/www', image: 'ghcr.io/acme/www' },
    ...overrides,
  });
}
