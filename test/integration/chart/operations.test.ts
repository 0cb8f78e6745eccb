import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ApiException, CoreV1Api, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import Fastify from 'fastify';
import { parse, parseAllDocuments } from 'yaml';
import { createIngressMetrics } from '../../../src/ingress/ingress-metrics';
import { registerHealthRoutes } from '../../../src/ingress/health-routes';
import { harnessState, testKubeConfig } from '../../harness';

// What the chart installs for operations: the PrometheusRule, the Grafana dashboard ConfigMap,
// the `helm test` pod and the config part of values.schema.json, rendered by the real helm.

const run = promisify(execFile);
const CHART = resolve(__dirname, '../../../charts/previewd');
const RELEASE_NS = 'previewd-system';

async function helm(...args: string[]): Promise<string> {
  const { stdout } = await run(harnessState().helm, args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function render(...extra: string[]): Promise<KubernetesObject[]> {
  const out = await helm('template', 'previewd', CHART, '--namespace', RELEASE_NS, ...extra);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as KubernetesObject | null)
    .filter((d): d is KubernetesObject => d !== null);
}

interface TestPod extends KubernetesObject {
  spec: { restartPolicy: string; containers: { image: string; command: string[] }[] };
}
interface ServiceDoc extends KubernetesObject {
  spec: { selector: Record<string, string>; ports: { name: string; port: number }[] };
}

describe('charts/previewd operations', () => {
  const kc = testKubeConfig();
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const dryRun = (obj: KubernetesObject) => objects.patch(obj, undefined, 'All', 'previewd-chart-test', true, PatchStrategy.ServerSideApply);

  beforeAll(async () => {
    // A dry run still needs the release's namespace to exist.
    await kc
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: RELEASE_NS } } })
      .catch((err: unknown) => {
        if (!(err instanceof ApiException && err.code === 409)) throw err;
      });
  });

  it('renders no PrometheusRule and no dashboard unless asked, and renders both when asked', async () => {
    const off = await render();
    expect(off.filter((d) => d.kind === 'PrometheusRule' || d.metadata?.name === 'previewd-dashboard')).toEqual([]);

    const on = await render('--set', 'metrics.prometheusRule.enabled=true', '--set', 'metrics.prometheusRule.labels.release=prometheus', '--set', 'metrics.grafanaDashboard.enabled=true', '--set', 'metrics.grafanaDashboard.annotations.grafana_folder=Platform');
    const rule = on.find((d) => d.kind === 'PrometheusRule') as (KubernetesObject & { spec: unknown }) | undefined;
    expect(rule?.metadata).toMatchObject({ name: 'previewd', namespace: RELEASE_NS, labels: { release: 'prometheus', 'app.kubernetes.io/instance': 'previewd' } });
    // The spec is the promtool-tested file, unchanged by the templating (its {{ $labels }} stay for Prometheus).
    expect(rule?.spec).toEqual(parse(readFileSync(resolve(CHART, 'files/prometheus-rules.yaml'), 'utf8')));
    expect(JSON.stringify(rule?.spec)).toContain('{{ $labels.namespace }}');

    const dashboard = on.find((d) => d.kind === 'ConfigMap' && d.metadata?.name === 'previewd-dashboard') as (KubernetesObject & { data: Record<string, string> }) | undefined;
    expect(dashboard?.metadata).toMatchObject({ namespace: RELEASE_NS, labels: { grafana_dashboard: '1' }, annotations: { grafana_folder: 'Platform' } });
    expect(JSON.parse(dashboard?.data['previewd.json'] ?? 'null')).toEqual(JSON.parse(readFileSync(resolve(CHART, 'files/grafana-dashboard.json'), 'utf8')));
    await expect(dryRun(dashboard as KubernetesObject)).resolves.toMatchObject({ kind: 'ConfigMap' });

    const elsewhere = await render('--set', 'metrics.grafanaDashboard.enabled=true', '--set', 'metrics.grafanaDashboard.namespace=monitoring', '--set', 'metrics.grafanaDashboard.labelKey=dashboards', '--set', 'metrics.grafanaDashboard.labelValue=previewd');
    expect(elsewhere.find((d) => d.metadata?.name === 'previewd-dashboard')?.metadata).toMatchObject({ namespace: 'monitoring', labels: { dashboards: 'previewd' } });
  });

  it("renders a helm test hook pod that calls the ingress Service's /readyz, which the API server accepts", async () => {
    const docs = await render('--set', 'ingress.service.port=8081');
    const pods = docs.filter((d) => d.kind === 'Pod') as TestPod[];
    expect(pods).toHaveLength(1);
    const pod = pods[0] as TestPod;
    expect(pod.metadata?.annotations).toMatchObject({ 'helm.sh/hook': 'test' });
    expect(pod.spec.restartPolicy).toBe('Never');
    const service = docs.find((d) => d.kind === 'Service' && d.metadata?.name?.endsWith('-ingress')) as ServiceDoc;
    const url = pod.spec.containers[0]?.command.at(-1);
    expect(url).toBe(`http://${service.metadata?.name}.${RELEASE_NS}.svc:${service.spec.ports[0]?.port}/readyz`);
    expect(service.spec.ports[0]?.port).toBe(8081);
    expect(service.spec.selector['app.kubernetes.io/component']).toBe('ingress');
    await expect(dryRun(pod)).resolves.toMatchObject({ kind: 'Pod' });

    expect((await render('--set', 'helmTest.enabled=false')).filter((d) => d.kind === 'Pod')).toEqual([]);
  });

  it("the test pod's command passes against a ready ingress and fails against an unready one", async () => {
    const pod = (await render()).find((d) => d.kind === 'Pod') as TestPod;
    const [node, ...args] = pod.spec.containers[0]?.command ?? [];
    expect(node).toBe('node');
    // previewd's own /readyz route; its readiness (Temporal reachable) is switched by hand here,
    // and the Service's DNS name, which only resolves in a cluster, is swapped for the local port.
    let ready = true;
    const app = Fastify();
    registerHealthRoutes(app, { ready: () => Promise.resolve(ready), metrics: createIngressMetrics({ defaultMetrics: false }) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const local = (args.at(-1) ?? '').replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
      const runPod = () => run(process.execPath, [...args.slice(0, -1), local], { timeout: 30_000 });
      await expect(runPod()).resolves.toMatchObject({ stdout: expect.stringContaining('200') });
      ready = false;
      await expect(runPod()).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('503') });
    } finally {
      await app.close();
    }
  });

  it("types config in values.schema.json as previewd's config schema: helm refuses what the processes would", async () => {
    await expect(helm('template', 'previewd', CHART, '--set', 'config.bogus=1')).rejects.toThrow(/config.*bogus/s);
    await expect(helm('template', 'previewd', CHART, '--set', 'config.temporal.acceptTimeoutMs=5')).rejects.toThrow(/config\/temporal\/acceptTimeoutMs/);
    const cluster = { baseEnvironment: { name: 'dev', namespace: 'dev' }, domain: 'example.test', namespacePrefix: 'Not_A_Label' };
    await expect(helm('template', 'previewd', CHART, '--set-json', `config.cluster=${JSON.stringify(cluster)}`)).rejects.toThrow(/config\/cluster\/namespacePrefix/);
    await expect(helm('template', 'previewd', CHART, '--set-json', 'config.repositories=[{"fullName":"acme/shop","key":"shop","services":[{"name":"web","source":{"type":"prBundle","repoURL":"https://github.com/acme/shop.git"}}]}]')).resolves.toContain('acme/shop');
  });
});
