import { Agent, request, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeTransport } from '../../activities/kubernetes';

// The stand-in's own connection to the API server: one keep-alive agent for all its requests.
// Serving a thousand previews, a TLS handshake per request (what a fresh agent per request
// costs) would make Argo CD's part a large share of the machine's CPU and blur what the
// benchmark measures, which is previewd's share.

const TIMEOUT_MS = 30_000;

export async function keepAliveTransport(kubeConfig: KubeConfig): Promise<KubeTransport> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const credentials: RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(credentials);
  const agent = new Agent({ keepAlive: true, maxSockets: 32, ca: credentials.ca, cert: credentials.cert, key: credentials.key });
  return (req) => {
    const url = new URL(req.path, server);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers = { accept: 'application/json', ...(body !== undefined ? { 'content-type': req.contentType ?? 'application/json' } : {}) };
    return new Promise((resolve, reject) => {
      const call = request(url, { method: req.method, headers, agent, timeout: TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = undefined;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      });
      call.on('timeout', () => call.destroy(new Error(`${req.method} ${req.path} timed out after ${TIMEOUT_MS} ms`)));
      call.on('error', reject);
      call.end(body);
    });
  };
}
