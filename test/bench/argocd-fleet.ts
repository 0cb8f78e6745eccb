// Can real Argo CD serve the 1,000-preview benchmark on this machine? N previews' Applications
// (one service each: a ConfigMap and a Service, healthy without pods) applied at once, straight
// to the API server with no Temporal in the way, then deleted with the resources finalizer:
// time until every one is Synced + Healthy, the rate, and the application controller's and
// repo-server's peak RSS. `npm run bench` keeps the Argo CD stand-in for its 1,000 and 2,000
// previews because of what this measures (see test/bench/bench-stack.ts).
//
//   npm run bench:argocd-fleet [-- <previews>]   (default 200)
import { readdirSync, readFileSync } from 'node:fs';
import { buildApplication, buildNamespace, namespaceNameFor, refOf } from '../../src/kubernetes';
import globalSetup, { stopAll } from '../harness/global-setup';
import { kubeFixture, sha, testServices, testSettings, uniquePreview } from '../integration/kubernetes/support';
import type { KubeObject } from '../../src/kubernetes';

const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RSS in MiB of the processes whose command line contains `name` (the multi-call binary's link name). */
function rssOf(name: string): number {
  let kib = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name)) continue;
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return kib / 1024;
}

async function inLanes<T>(items: readonly T[], lanes: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  }));
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 200);
  await globalSetup();
  const kube = kubeFixture();
  const settings = testSettings();
  const service = testServices()[0]!;
  const previews = Array.from({ length: n }, () => uniquePreview());
  const peak = { controller: 0, repoServer: 0 };
  const sample = () => {
    peak.controller = Math.max(peak.controller, rssOf('argocd-application-controller'));
    peak.repoServer = Math.max(peak.repoServer, rssOf('argocd-repo-server'));
  };
  const idle = { controller: rssOf('argocd-application-controller'), repoServer: rssOf('argocd-repo-server') };
  const apps = previews.map((p) => buildApplication(settings, p, service, { headSha: sha('1a') }));
  const healthy = async () => {
    const listed: KubeObject[] = await kube.api.list('argoproj.io/v1alpha1', 'Application', { namespace: settings.argocd.namespace, labelSelector: 'app.kubernetes.io/managed-by=previewd' });
    const names = new Set(apps.map((a) => a.metadata.name));
    return listed.filter((a) => names.has(a.metadata.name) && (a.status as { sync?: { status?: string }; health?: { status?: string } } | undefined)?.sync?.status === 'Synced' && (a.status as { health?: { status?: string } }).health?.status === 'Healthy').length;
  };
  try {
    const started = Date.now();
    await inLanes(previews, 16, async (p) => {
      await kube.api.create(buildNamespace(settings, p, { headSha: sha('1a'), workflowId: `fleet-${p.prNumber}`, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }));
      await kube.api.apply(buildApplication(settings, p, service, { headSha: sha('1a') }));
    });
    const applied = Date.now() - started;
    let done = 0;
    while (done < n) {
      await sleep(1_000);
      sample();
      done = await healthy();
      say(`${done}/${n} Synced + Healthy after ${((Date.now() - started) / 1000).toFixed(0)} s (controller ${peak.controller.toFixed(0)} MiB, repo-server ${peak.repoServer.toFixed(0)} MiB)`);
      if (Date.now() - started > 30 * 60_000) throw new Error(`only ${done}/${n} Synced + Healthy after 30 min`);
    }
    const upSeconds = (Date.now() - started) / 1000;
    const deleting = Date.now();
    await inLanes(apps, 16, (a) => kube.api.delete(refOf(a), 'Foreground'));
    while ((await kube.api.list('argoproj.io/v1alpha1', 'Application', { namespace: settings.argocd.namespace, labelSelector: 'app.kubernetes.io/managed-by=previewd' })).length > 0) {
      sample();
      await sleep(1_000);
    }
    const downSeconds = (Date.now() - deleting) / 1000;
    await inLanes(previews, 16, (p) => kube.api.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespaceNameFor(settings, p) }));
    say('');
    say(`real Argo CD, ${n} Applications applied at once (16 lanes, applied in ${(applied / 1000).toFixed(1)} s):`);
    say(`  all Synced + Healthy after ${upSeconds.toFixed(0)} s: ${(n / upSeconds).toFixed(2)} Applications/s`);
    say(`  all deleted (resources finalizer, prune) after ${downSeconds.toFixed(0)} s: ${(n / downSeconds).toFixed(2)} Applications/s`);
    say(`  application controller RSS ${idle.controller.toFixed(0)} MiB idle → ${peak.controller.toFixed(0)} MiB peak; repo-server ${idle.repoServer.toFixed(0)} → ${peak.repoServer.toFixed(0)} MiB`);
    say(`  at this rate 1,000 previews take ${((1000 / n) * upSeconds / 60).toFixed(1)} min to come up, 2,000 twice that, load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' / ')}`);
  } finally {
    await stopAll();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
