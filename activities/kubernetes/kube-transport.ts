import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
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
  /** The server's `Retry-After` (429, 503), in milliseconds, when it sent one. */
  readonly retryAfterMs?: number;
}

/** One HTTP exchange with the API server; injected so tests and callers can wrap it. */
export type KubeTransport = (req: KubeRequest) => Promise<KubeResponse>;

const REQUEST_TIMEOUT_MS = 30_000;

// Idle keep-alive connections close after this: below the API server's own idle timeout (90 s
// for HTTP/1.1 in kube-apiserver), so the client closes first and rarely reuses a dead socket.
const IDLE_SOCKET_MS = 30_000;
/** Connections kept open per agent while idle; more are opened under load and closed afterwards. */
const MAX_IDLE_SOCKETS = 32;

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from now. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // HTTP dates end in GMT (IMF-fixdate and the obsolete forms); Date.parse alone takes "-1" as a year.
  if (!/GMT$/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

// The TLS material client-node puts on the request options: what a pooled agent must be
// built with, and what identifies "the same credentials" when it changes (a rotated client
// certificate or CA bundle means new connections).
const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername', 'ciphers', 'crl', 'secureProtocol'] as const;

function tlsFingerprint(opts: RequestOptions): string {
  const hash = createHash('sha256');
  for (const field of TLS_FIELDS) {
    const value = (opts as Record<string, unknown>)[field];
    hash.update(`${field}=`);
    for (const part of Array.isArray(value) ? value : [value]) hash.update(part === undefined ? '-' : Buffer.isBuffer(part) ? part : String(part)).update('\0');
  }
  return hash.digest('hex');
}

/**
 * One keep-alive agent for the current credentials. client-node's `applyToHTTPSOptions` builds
 * a fresh `https.Agent` on every call, so every request paid a TCP and TLS handshake; this
 * keeps one pooled agent per fingerprint of the TLS material and replaces it (closing the old
 * one's idle sockets) when that material rotates. Bearer tokens are headers, refreshed by
 * client-node on every call (exec plugins, token files), and need no new connection.
 */
export class KeepAliveAgents {
  private current?: { readonly fingerprint: string; readonly agent: HttpAgent };
  /** Agents built: 1 plus one per rotation of the TLS material. */
  built = 0;
  /** Connections opened (each one a TCP and TLS handshake); kept-alive requests open none. */
  connections = 0;

  agentFor(protocol: string, opts: RequestOptions): HttpAgent {
    const fingerprint = `${protocol}${tlsFingerprint(opts)}`;
    if (this.current?.fingerprint === fingerprint) return this.current.agent;
    this.current?.agent.destroy();
    const tls = Object.fromEntries(TLS_FIELDS.map((f): [string, unknown] => [f, (opts as Record<string, unknown>)[f]]).filter(([, v]) => v !== undefined));
    const pool = { keepAlive: true, maxFreeSockets: MAX_IDLE_SOCKETS, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
    const agent = protocol === 'http:' ? new HttpAgent(pool) : new HttpsAgent({ ...tls, ...pool });
    const open = agent.createConnection.bind(agent);
    agent.createConnection = (...args: Parameters<typeof open>) => {
      this.connections++;
      return open(...args);
    };
    this.current = { fingerprint, agent };
    this.built++;
    return agent;
  }

  close(): void {
    this.current?.agent.destroy();
    this.current = undefined;
  }
}

function send(url: URL, opts: RequestOptions, body: string | undefined, what: string): Promise<KubeResponse & { reusedSocket: boolean }> {
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const call = request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const wait = status === 429 || status === 503 ? retryAfterMs(res.headers['retry-after']) : undefined;
        resolve({ status, body: parse(Buffer.concat(chunks).toString('utf8')), ...(wait !== undefined && { retryAfterMs: wait }), reusedSocket: call.reusedSocket });
      });
      res.on('error', reject);
    });
    call.on('timeout', () => call.destroy(new Error(`${what} timed out after ${REQUEST_TIMEOUT_MS} ms`)));
    call.on('error', (err: NodeJS.ErrnoException) => reject(Object.assign(err, { reusedSocket: call.reusedSocket })));
    call.end(body);
  });
}

/** A kept-alive socket the server closed as it was reused: the request never reached it, so it is sent once more. */
function staleSocket(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException & { reusedSocket?: boolean };
  return e.reusedSocket === true && (e.code === 'ECONNRESET' || e.code === 'EPIPE');
}

/**
 * Raw JSON over the KubeConfig's credentials, on kept-alive connections. Deliberately not the
 * generated client models: `KubernetesObjectApi` serialises built-in kinds through them, which
 * silently drops fields whose model names differ from their JSON names — a NetworkPolicy's
 * `from` (turning "allow from these peers" into "allow from everyone") and a LimitRange's `default`.
 */
export function kubeConfigTransport(kc: KubeConfig, agents = new KeepAliveAgents()): KubeTransport {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const server = cluster.server;
  // Through a proxy, client-node's proxy agent is the way out; it is used as it comes.
  const pooled = !cluster.proxyUrl;
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
    // Credentials (headers, TLS material) are applied per call, so rotated ones are picked up.
    await kc.applyToHTTPSOptions(opts);
    if (pooled) opts.agent = agents.agentFor(url.protocol, opts);
    const what = `${req.method} ${req.path}`;
    try {
      const { reusedSocket: _reused, ...res } = await send(url, opts, body, what);
      return res;
    } catch (err) {
      if (!staleSocket(err)) throw err;
      const { reusedSocket: _reused, ...res } = await send(url, opts, body, what);
      return res;
    }
  };
}
