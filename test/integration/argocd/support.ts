import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { parseClusterSettings, type ClusterSettings, type ClusterSettingsInput } from '../../../src/config';
import { testClusterInput } from '../kubernetes/support';
import type { KubeApi } from '../../../activities/kubernetes';
import type { KubeObject } from '../../../src/kubernetes';
import { harnessState } from '../../harness';

const run = promisify(execFile);
const CHART = resolve(__dirname, '../../../charts/previewd');

/** Argo CD's switch for syncing as the AppProject's destinationServiceAccounts (argocd-cm). */
export const IMPERSONATION_KEY = 'application.sync.impersonation.enabled';

/**
 * The suites' cluster settings (test/integration/kubernetes/support.ts) with the sync identity
 * on and no routes: these tests are about what Argo CD applies, not about a Gateway.
 */
export function realArgoSettings(overrides: Partial<ClusterSettingsInput> = {}): ClusterSettings {
  const base = testClusterInput();
  return parseClusterSettings({ ...base, argocd: { ...base.argocd, syncServiceAccount: {} }, routes: { kind: 'None' }, imagePullSecret: undefined, bindings: [], ...overrides });
}

/** The chart's preview-sync ClusterRole (what a preview's sync identity may do in its own namespace), as users install it. */
export async function chartSyncClusterRole(): Promise<KubeObject> {
  const { stdout } = await run(harnessState().helm, ['template', 'previewd', CHART, '--show-only', 'templates/rbac.yaml']);
  const role = parseAllDocuments(stdout)
    .map((d) => d.toJS() as KubeObject | null)
    .find((d) => d?.kind === 'ClusterRole' && d.metadata.name === 'previewd-preview-sync');
  if (!role) throw new Error('charts/previewd rendered no previewd-preview-sync ClusterRole');
  return role;
}

/**
 * Turns Argo CD's sync impersonation on or off in the harness installation. The settings
 * manager watches argocd-cm, so the controller reads the new value at its next sync; test
 * files run one at a time, and Applications of projects without destinationServiceAccounts
 * keep syncing with the controller's own rights either way (Argo CD falls back unless enforced).
 */
export async function setImpersonation(api: KubeApi, enabled: boolean): Promise<void> {
  const { argocd } = harnessState();
  await api.mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', namespace: argocd.namespace, name: 'argocd-cm' }, { data: { [IMPERSONATION_KEY]: enabled ? 'true' : null } });
}
