import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { KeepAliveAgents, KubeApi, kubeConfigTransport } from '../../../activities/kubernetes';
import { testKubeConfig } from '../../harness';

// The transport keeps its TLS connections to the API server open (client-node builds a new
// agent, so a new TCP + TLS handshake, on every call), rebuilds them when the kubeconfig's TLS
// material rotates, and honours Retry-After.

describe('Kubernetes transport: keep-alive to the real API server', () => {
  it('sends 30 requests, sequential and concurrent, over a handful of connections', async () => {
    const agents = new KeepAliveAgents();
    const transport = kubeConfigTransport(testKubeConfig(), agents);
    for (let i = 0; i < 20; i++) expect((await transport({ method: 'GET', path: '/api/v1/namespaces/default' })).status).toBe(200);
    expect(agents.connections).toBe(1);
    await Promise.all(Array.from({ length: 10 }, () => transport({ method: 'GET', path: '/api/v1/namespaces/kube-system' })));
    // Concurrent requests open at most one connection each; afterwards they are all reused.
    expect(agents.connections).toBeLessThanOrEqual(11);
    const before = agents.connections;
    for (let i = 0; i < 5; i++) await transport({ method: 'GET', path: '/api/v1/namespaces/default' });
    expect(agents.connections).toBe(before);
    expect(agents.built).toBe(1);
    agents.close();
  });

  it('builds a new agent when the TLS material rotates, and the new one works', async () => {
    const kc = testKubeConfig();
    const agents = new KeepAliveAgents();
    const transport = kubeConfigTransport(kc, agents);
    expect((await transport({ method: 'GET', path: '/api/v1/namespaces/default' })).status).toBe(200);
    expect(agents.built).toBe(1);

    // A rotated CA bundle (here the same CA twice, as during a CA rollover): new TLS material.
    const rotated = new KubeConfig();
    rotated.loadFromString(kc.exportConfig());
    const cluster = rotated.getCurrentCluster()!;
    const ca = cluster.caData ? Buffer.from(cluster.caData, 'base64').toString('utf8') : '';
    expect(ca).toContain('BEGIN CERTIFICATE');
    const clusters = rotated.clusters.map((c) => (c.name === cluster.name ? { ...c, caData: Buffer.from(`${ca}\n${ca}`).toString('base64') } : c));
    kc.loadFromOptions({ clusters, users: rotated.users, contexts: rotated.contexts, currentContext: rotated.currentContext });

    expect((await transport({ method: 'GET', path: '/api/v1/namespaces/default' })).status).toBe(200);
    expect(agents.built).toBe(2);
    expect((await transport({ method: 'GET', path: '/api/v1/namespaces/default' })).status).toBe(200);
    expect(agents.built).toBe(2);
    agents.close();
  });
});

describe('Kubernetes transport: Retry-After', () => {
  // A loopback server stands in for a throttling API server: kube-apiserver answers 429 only
  // under priority-and-fairness pressure that a test cannot produce on demand.
  let server: Server;
  let url: string;
  const answers: { status: number; retryAfter?: string }[] = [];
  const seen: number[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(Date.now());
      const next = answers.shift() ?? { status: 200 };
      res.writeHead(next.status, { 'content-type': 'application/json', ...(next.retryAfter !== undefined && { 'retry-after': next.retryAfter }) });
      res.end(JSON.stringify({ kind: 'Namespace', metadata: { name: 'x' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function api(): KubeApi {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'not-a-secret' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    return new KubeApi(kubeConfigTransport(kc));
  }

  it('waits as long as a 429 says, then succeeds', async () => {
    seen.length = 0;
    answers.push({ status: 429, retryAfter: '1' });
    expect(await api().get({ apiVersion: 'v1', kind: 'Namespace', name: 'x' })).toMatchObject({ metadata: { name: 'x' } });
    expect(seen).toHaveLength(2);
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(950);
  });

  it('retries a 503 that carries Retry-After; a 503 without it is an error at once', async () => {
    seen.length = 0;
    answers.push({ status: 503, retryAfter: '0' });
    await expect(api().get({ apiVersion: 'v1', kind: 'Namespace', name: 'x' })).resolves.toBeDefined();
    expect(seen).toHaveLength(2);
    seen.length = 0;
    answers.push({ status: 503 });
    await expect(api().get({ apiVersion: 'v1', kind: 'Namespace', name: 'x' })).rejects.toThrow(/503/);
    expect(seen).toHaveLength(1);
  });
});
