import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startArgoCd, type ArgoCdFacts } from './argocd';
import { SHARED_CRDS_DIR, startControlPlane } from './control-plane';
import { KubeHttp } from './kube-http';
import type { ManagedProcess } from './managed-process';
import { provisionEmbeddedServers } from './provision-servers';
import { resolveArgoCdBinaries, resolveBinaries, type ArgoCdBinaries, type ServerBinaries } from './server-binaries';

// Dev mode's cluster when the user has none: the API server, etcd and kube-controller-manager
// (with the deployment controller), real Argo CD (application controller, repo-server, Redis) and
// the sample GitOps repository (charts/examples/gitops, served as file://), exactly the stack the
// integration tests run on. Its state (etcd data, the GitOps repository) lives in the dev state
// directory, so previews survive a restart of `npm run dev` as they do in Temporal's database.

export const EMBEDDED_CLUSTER_NAME = 'previewd-embedded';
/** The sample app dev mode's preview deploys: a ConfigMap and a Service, healthy without pods (no kubelet runs). */
export const EMBEDDED_SAMPLE_APP = 'web';

export interface EmbeddedCluster {
  readonly kubeconfig: string;
  readonly server: string;
  readonly kubeVersion: string;
  readonly argocd: ArgoCdFacts;
  readonly processes: readonly ManagedProcess[];
  stop(): Promise<void>;
}

export interface EmbeddedClusterOptions {
  readonly stateDir: string;
  readonly cacheDir: string;
  readonly say: (text: string) => void;
}

/**
 * The CRDs are read in place from the shared folder beside the checkout, as the tests read them:
 * they are the real CRDs previewd is tested against (Argo CD, Gateway API, External Secrets), and
 * a copy in the repository would drift from them. Without them the cluster cannot hold an
 * Application, so dev mode stops here and says what to do.
 */
export function requireSharedCrds(dir = SHARED_CRDS_DIR): string {
  if (!existsSync(dir)) {
    throw new Error(
      `the embedded cluster installs the CRDs from ${dir} (Argo CD, Gateway API, External Secrets), and that folder is missing. ` +
        'Put the shared/ folder beside this checkout, or set KUBECONFIG to a cluster of your own that has them.',
    );
  }
  return dir;
}

async function binaries(opts: EmbeddedClusterOptions): Promise<{ bin: ServerBinaries; argoBin: ArgoCdBinaries }> {
  const env = { ...process.env, PREVIEWD_CACHE: opts.cacheDir };
  try {
    return { bin: resolveBinaries({ kube: true }, env), argoBin: resolveArgoCdBinaries(env) };
  } catch (err) {
    opts.say(`the embedded cluster's servers are not built yet (${(err as Error).message.replace(/:[^:]*$/, '')})`);
    opts.say('building them once: about an hour on 2 cores (kube-apiserver, etcd, Argo CD, helm and kustomize from source). To use your own cluster instead, press Ctrl-C and set KUBECONFIG.');
    await provisionEmbeddedServers({ cacheDir: opts.cacheDir, say: opts.say });
    return { bin: resolveBinaries({ kube: true }, env), argoBin: resolveArgoCdBinaries(env) };
  }
}

/** Starts the embedded stack; `stop()` ends it (Argo CD first, then the control plane). */
export async function startEmbeddedCluster(opts: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  requireSharedCrds();
  const { bin, argoBin } = await binaries(opts);
  const workDir = join(opts.stateDir, 'cluster');
  const logDir = join(workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  opts.say(`starting the embedded cluster: kube-apiserver ${bin.kubeVersion}, etcd, kube-controller-manager (logs in ${logDir})`);
  const plane = await startControlPlane(bin, workDir, { workloadControllers: true, name: EMBEDDED_CLUSTER_NAME });
  const stopPlane = () => Promise.all(plane.processes.map((p) => p.stop())).then(() => undefined);
  try {
    opts.say(`starting Argo CD ${argoBin.version} (application controller, repo-server, Redis)`);
    const argocd = await startArgoCd(argoBin, { workDir, logDir, kubeconfig: plane.kubeconfig, http: new KubeHttp(plane.server, plane.pki), helm: bin.helm });
    const processes = [...argocd.processes, ...plane.processes];
    return {
      kubeconfig: plane.kubeconfig,
      server: plane.server,
      kubeVersion: bin.kubeVersion,
      argocd: argocd.facts,
      processes,
      async stop() {
        await Promise.all(argocd.processes.map((p) => p.stop()));
        await stopPlane();
      },
    };
  } catch (err) {
    await stopPlane();
    throw err;
  }
}
