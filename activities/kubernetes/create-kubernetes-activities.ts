import type { KubeConfig } from '@kubernetes/client-node';
import type { ApplyBaselineInput, CheckReadyInput, DeployAppsInput, EnsureNamespaceInput, PreviewActivities, TeardownInput, WaitReadyInput } from '../../workflows/contract';
import type { ClusterSettings } from '../../src/config/cluster';
import { systemClock, type Clock } from '../clock';
import { applyBaseline } from './apply-baseline';
import { deployApps } from './deploy-apps';
import { ensureNamespace } from './ensure-namespace';
import { KubeApi } from './kube-api';
import { kubeConfigTransport, type KubeTransport } from './kube-transport';
import type { KubernetesActivityContext } from './kubernetes-activity-context';
import { readWorkloads, type ReadWorkloadsInput } from './read-workloads';
import { teardown, teardownStep } from './teardown';
import { checkReady, waitReady } from './wait-ready';

export type KubernetesActivityDeps = {
  readonly settings: ClusterSettings;
  readonly clock?: Clock;
} & ({ readonly kubeConfig: KubeConfig } | { readonly transport: KubeTransport });

/** One API client, the settings and a clock: shared with other activity sets (the janitor) that reuse these steps. */
export function createKubernetesContext(deps: KubernetesActivityDeps): KubernetesActivityContext {
  const transport = 'transport' in deps ? deps.transport : kubeConfigTransport(deps.kubeConfig);
  return { api: new KubeApi(transport), settings: deps.settings, clock: deps.clock ?? systemClock };
}

/** The Kubernetes and Argo CD activities, bound to one cluster and its settings. */
export function createKubernetesActivities(deps: KubernetesActivityDeps) {
  const ctx = createKubernetesContext(deps);
  return {
    ensureNamespace: (input: EnsureNamespaceInput) => ensureNamespace(ctx, input),
    applyBaseline: (input: ApplyBaselineInput) => applyBaseline(ctx, input),
    deployApps: (input: DeployAppsInput) => deployApps(ctx, input),
    waitReady: (input: WaitReadyInput) => waitReady(ctx, input),
    checkReady: (input: CheckReadyInput) => checkReady(ctx, input),
    readWorkloads: (input: ReadWorkloadsInput) => readWorkloads(ctx, input),
    teardown: (input: TeardownInput) => teardown(ctx, input),
    teardownStep: (input: TeardownInput) => teardownStep(ctx, input),
    // The workflow's contract: a signature drifting from it is a compile error here.
  } satisfies Pick<PreviewActivities, 'ensureNamespace' | 'applyBaseline' | 'deployApps' | 'waitReady' | 'checkReady' | 'teardown' | 'teardownStep'> & Record<string, unknown>;
}

export type KubernetesActivities = ReturnType<typeof createKubernetesActivities>;
