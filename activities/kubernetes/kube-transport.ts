import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly contentType?: string;
}

export interface KubeResponse {
  readonly status: number;
  readonly body: unknown;
}

/** One HTTP exchange with the API server; injected so tests and callers can wrap it. */
export type KubeTransport = (req: KubeRequest) => Promise<KubeResponse>;

const REQUEST_TIMEOUT_MS = 30_000;

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Raw JSON over the KubeConfig's credentials. Deliberately not the generated client models:
 * `KubernetesObjectApi` serialises built-in kinds through them, which silently drops fields
 * whose model names differ from their JSON names — a NetworkPolicy's `from` (turning
 * "allow from these peers" into "allow from everyone") and a LimitRange's `default`.
 */
export function kubeConfigTransport(kc: KubeConfig): KubeTransport {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const server = cluster.server;
  return async (req) => {
    const url = new URL(req.path, server);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const opts: RequestOptions = {
      method: req.method,
      // An explicit length: Node sends a DELETE body with neither Content-Length nor chunked
      // encoding, so the API server would drop the DeleteOptions (propagationPolicy) and read
      // the body as the next request on the connection.
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': req.contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) } : {}) },
      timeout: REQUEST_TIMEOUT_MS,
    };
    await kc.applyToHTTPSOptions(opts);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise<KubeResponse>((resolve, reject) => {
      const call = send(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parse(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      });
      call.on('timeout', () => call.destroy(new Error(`${req.method} ${req.path} timed out after ${REQUEST_TIMEOUT_MS} ms`)));
      call.on('error', reject);
      call.end(body);
    });
  };
}
