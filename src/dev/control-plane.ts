import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ServerBinaries } from './server-binaries';
import { mintCertificates, type ControlPlaneCertificates } from './certificates';
import { KubeHttp } from './kube-http';
import { freePorts } from './free-ports';
import { startProcess, waitFor, type ManagedProcess } from './managed-process';

export interface ControlPlane {
  readonly server: string;
  readonly kubeconfig: string;
  readonly crds: readonly string[];
  readonly pki: { readonly caCert: string; readonly adminCert: string; readonly adminKey: string };
  readonly processes: readonly ManagedProcess[];
}

/**
 * CRDs from ../shared/crds, read in place: the shared folder beside the checkout is the one
 * source of the CRDs previewd is tested against, and a copy in the repo would drift from it.
 */
export const SHARED_CRDS_DIR = resolve(__dirname, '../../../shared/crds');

// Only the controllers the tests rely on: namespace deletion, garbage collection (foreground
// deletion and ownerReferences), service accounts so the admission plugin is satisfied, PVC
// protection so claims finish deleting, and quota accounting so storage quotas admit PVCs.
const CONTROLLERS = [
  'namespace-controller',
  'garbage-collector-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'persistentvolumeclaim-protection-controller',
  'resourcequota-controller',
];

// Opt-in: Deployments get a real status, so a short progressDeadlineSeconds ends in
// ProgressDeadlineExceeded (Argo CD's Degraded). The replicaset controller stays off: no kubelet
// runs, so pods would only sit Pending, and the Deployment controller alone sets that condition.
const WORKLOAD_CONTROLLERS = ['deployment-controller'];

export interface ControlPlaneOptions {
  /** Also run the workload controllers Argo CD's health checks read (the integration harness and dev mode do). */
  readonly workloadControllers?: boolean;
  /** Names the kubeconfig's cluster, user and context (and etcd's member). */
  readonly name?: string;
}

export async function startControlPlane(bin: ServerBinaries, workDir: string, opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const certDir = join(workDir, 'pki');
  mkdirSync(certDir, { recursive: true });
  const certs = mintCertificates(certDir);
  const [etcdPort, peerPort, apiPort, kcmPort] = (await freePorts(4)) as [number, number, number, number];
  const logDir = join(workDir, 'logs');

  const name = opts.name ?? 'previewd-test';
  const etcd = startEtcd(bin, workDir, logDir, etcdPort, peerPort, name);
  await waitFor('etcd health', async () => ((await fetch(`http://127.0.0.1:${etcdPort}/health`)).ok ? true : undefined), {
    timeoutMs: 30_000,
    process: etcd,
  });

  const server = `https://127.0.0.1:${apiPort}`;
  const apiserver = startApiserver(bin, certs, workDir, logDir, apiPort, etcdPort);
  const http = new KubeHttp(server, certs);
  await waitFor('kube-apiserver /readyz', async () => ((await http.send('GET', '/readyz')).status === 200 ? true : undefined), {
    timeoutMs: 60_000,
    process: apiserver,
  });

  const kubeconfig = join(workDir, 'admin.kubeconfig');
  writeFileSync(kubeconfig, renderKubeconfig(server, certs, name), { mode: 0o600 });
  const kcm = startProcess(
    'kube-controller-manager',
    bin.kubeControllerManager,
    [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      '--leader-elect=false',
      `--controllers=${[...CONTROLLERS, ...(opts.workloadControllers ? WORKLOAD_CONTROLLERS : [])].join(',')}`,
      `--service-account-private-key-file=${certs.serviceAccountKey}`,
      `--root-ca-file=${certs.caCert}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${kcmPort}`,
      `--cert-dir=${join(workDir, 'kcm-certs')}`,
      '--concurrent-namespace-syncs=5',
      '--concurrent-gc-syncs=10',
    ],
    { logDir },
  );

  const crds = await installCrds(http, SHARED_CRDS_DIR);
  const pki = { caCert: certs.caCert, adminCert: certs.adminCert, adminKey: certs.adminKey };
  return { server, kubeconfig, crds, pki, processes: [kcm, apiserver, etcd] };
}

function startEtcd(bin: ServerBinaries, workDir: string, logDir: string, port: number, peerPort: number, name: string): ManagedProcess {
  const client = `http://127.0.0.1:${port}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return startProcess(
    'etcd',
    bin.etcd,
    [
      `--data-dir=${join(workDir, 'etcd')}`,
      `--name=${name}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=${name}=${peer}`,
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ],
    { logDir },
  );
}

function startApiserver(
  bin: ServerBinaries,
  certs: ControlPlaneCertificates,
  workDir: string,
  logDir: string,
  port: number,
  etcdPort: number,
): ManagedProcess {
  return startProcess(
    'kube-apiserver',
    bin.kubeApiserver,
    [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // The endpoint reconciler refuses loopback addresses, and nothing here reaches the API through the kubernetes Service.
      '--endpoint-reconciler-type=none',
      `--secure-port=${port}`,
      `--cert-dir=${join(workDir, 'apiserver-certs')}`,
      `--tls-cert-file=${certs.servingCert}`,
      `--tls-private-key-file=${certs.servingKey}`,
      `--client-ca-file=${certs.caCert}`,
      `--service-account-key-file=${certs.serviceAccountPub}`,
      `--service-account-signing-key-file=${certs.serviceAccountKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.0.0.0/24',
      '--allow-privileged=true',
      '--profiling=false',
      '--v=0',
    ],
    { logDir },
  );
}

function renderKubeconfig(server: string, certs: ControlPlaneCertificates, name: string): string {
  const b64 = (file: string) => readFileSync(file).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(certs.caCert)}`,
    'users:',
    `- name: ${name}-admin`,
    '  user:',
    `    client-certificate-data: ${b64(certs.adminCert)}`,
    `    client-key-data: ${b64(certs.adminKey)}`,
    'contexts:',
    `- name: ${name}`,
    `  context: {cluster: ${name}, user: ${name}-admin}`,
    `current-context: ${name}`,
    '',
  ].join('\n');
}

interface CrdDocument {
  kind?: string;
  metadata?: { name?: string };
}

/** Server-side applies every CRD under `dir` and waits until each is Established. */
export async function installCrds(http: KubeHttp, dir: string): Promise<string[]> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
  if (files.length === 0) throw new Error(`no CRDs found under ${dir}; the shared/ folder must sit beside the repo`);
  const names: string[] = [];
  for (const file of files.sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      const crd = doc.toJS() as CrdDocument | null;
      if (crd?.kind !== 'CustomResourceDefinition' || !crd.metadata?.name) continue;
      const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}?fieldManager=previewd-harness&force=true`;
      const res = await http.send('PATCH', path, JSON.stringify(crd), 'application/apply-patch+yaml');
      if (res.status >= 300) throw new Error(`installing CRD ${crd.metadata.name} from ${file} failed: ${res.status} ${res.body}`);
      names.push(crd.metadata.name);
    }
  }
  await Promise.all(names.map((name) => waitEstablished(http, name)));
  return names;
}

async function waitEstablished(http: KubeHttp, name: string): Promise<void> {
  await waitFor(
    `CRD ${name} Established`,
    async () => {
      const res = await http.send('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
      const crd = JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string }[] } };
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
    },
    { timeoutMs: 30_000 },
  );
}
