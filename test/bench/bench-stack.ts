import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import { KubeApi, kubeConfigTransport, KubernetesApiError } from '../../activities/kubernetes';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/dev/temporal-dev-server';
import { ArgoCdDouble, keepAliveTransport, WatchingController } from '../argocd-double';
import type { ServerBinaries } from '../harness/binaries';
import { startControlPlane, type ControlPlane } from '../harness/control-plane';
import { guardedInterceptors } from '../../src/temporal-client';

// The real stack of the lifecycle measurements, as the integration tests' global setup builds
// it: a Temporal dev server, etcd + kube-apiserver + kube-controller-manager with the shared
// CRDs, and the Argo CD stand-in, here serving every preview namespace from a watch.
// Why the stand-in and not real Argo CD (which every test uses): measured with
// `npm run bench:argocd-fleet -- 100` on this 2-core machine, real Argo CD brought 100
// Applications to Synced + Healthy in 40 s (2.5/s) and its controller grew by about 2.5 MiB per
// Application. At 1,000-2,000 previews it would add minutes of bring-up and take the two cores
// the worker is being measured on, so the figures would be Argo CD's, not previewd's.

export const ARGOCD_NAMESPACE = 'argocd';
export const BASE_NAMESPACE = 'dev';
export const NAMESPACE_PREFIX = 'pr';
/** Applications the Argo CD stand-in reconciles at the same time. */
export const ARGO_CONCURRENCY = 16;

export interface BenchStack {
  readonly logDir: string;
  readonly temporal: TemporalDevServer;
  readonly connection: Connection;
  readonly client: Client;
  readonly kubeconfig: string;
  readonly kubeConfig: KubeConfig;
  readonly api: KubeApi;
  readonly argo: WatchingController;
  stop(): Promise<void>;
}

async function ensureNamespace(api: KubeApi, name: string): Promise<void> {
  try {
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } catch (err) {
    if (!(err instanceof KubernetesApiError && err.code === 409)) throw err;
  }
}

export async function startBenchStack(bin: ServerBinaries, workDir: string): Promise<BenchStack> {
  const logDir = join(workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  // Everything is stopped even when one part fails to stop; the first failure is rethrown.
  const stopAll = async () => {
    const failures: unknown[] = [];
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => failures.push(err));
    if (failures.length > 0) throw failures[0];
  };
  try {
    const [temporal, plane] = await Promise.all([
      startTemporalDevServer({ cliPath: bin.temporalCli, logDir, ui: false }).then((t) => (stops.push(() => t.process.stop()), t)),
      startControlPlane(bin, workDir).then((p: ControlPlane) => (stops.push(() => Promise.all(p.processes.map((q) => q.stop())).then(() => undefined)), p)),
    ]);
    const connection = await Connection.connect({ address: temporal.address, interceptors: guardedInterceptors() });
    stops.push(() => connection.close());
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(plane.kubeconfig);
    const api = new KubeApi(kubeConfigTransport(kubeConfig));
    await ensureNamespace(api, ARGOCD_NAMESPACE);
    await ensureNamespace(api, BASE_NAMESPACE);
    const double = new ArgoCdDouble({ api: new KubeApi(await keepAliveTransport(kubeConfig)), argocdNamespace: ARGOCD_NAMESPACE, destinationPrefix: `${NAMESPACE_PREFIX}-` });
    const argo = new WatchingController(double, { kubeConfig, concurrency: ARGO_CONCURRENCY, resyncMs: 30_000 });
    await argo.start();
    stops.push(() => argo.stop());
    return {
      logDir,
      temporal,
      connection,
      client: new Client({ connection, namespace: temporal.namespace }),
      kubeconfig: plane.kubeconfig,
      kubeConfig,
      api,
      argo,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}
