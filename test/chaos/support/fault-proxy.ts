import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SeededRandom } from './seeded-random';

// A fault-injecting reverse proxy in front of the real API server. previewd reaches it over
// plain HTTP on loopback (a kubeconfig with an http:// server); the proxy forwards to the API
// server over HTTPS with the admin client certificate. A seeded share of requests fail, the
// kind drawn from a shuffled bag:
//  - conflict: 409 Conflict, the Status the API server sends for a stale write; not forwarded;
//  - internal: 500 InternalError; not forwarded;
//  - timeout:  no answer: the connection stalls, then drops. Half of them are forwarded first,
//    so the API server acted and only the answer was lost (the case a retry must absorb).

export type FaultKind = 'conflict' | 'internal' | 'timeout';
export const FAULT_KINDS: readonly FaultKind[] = ['conflict', 'internal', 'timeout'];

export interface FaultProxyOptions {
  readonly upstream: string;
  readonly pki: { readonly caCert: string; readonly adminCert: string; readonly adminKey: string };
  readonly random: SeededRandom;
  /** Share of requests that fail, 0..1. */
  readonly rate: number;
  /** How long a `timeout` stalls before dropping the connection. */
  readonly stallMs: { readonly min: number; readonly max: number };
}

export interface FaultCounts {
  requests: number;
  forwarded: number;
  /** Timeouts whose request reached the API server before the answer was dropped. */
  lostAnswers: number;
  byKind: Record<FaultKind, number>;
  /** `<kind> <METHOD>` → count, to see which verbs were hit. */
  byKindAndMethod: Record<string, number>;
  /** Bytes on a connection that were no HTTP request (answered 400 and closed, as the API server does). */
  malformed: number;
}

function status(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

export class FaultProxy {
  readonly counts: FaultCounts = { requests: 0, forwarded: 0, lostAnswers: 0, byKind: { conflict: 0, internal: 0, timeout: 0 }, byKindAndMethod: {}, malformed: 0 };
  private readonly server: Server;
  private readonly agent: Agent;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly answering = new WeakMap<Socket, ServerResponse>();
  private bag: FaultKind[] = [];

  private constructor(private readonly opts: FaultProxyOptions) {
    this.agent = new Agent({
      keepAlive: true,
      ca: readFileSync(opts.pki.caCert),
      cert: readFileSync(opts.pki.adminCert),
      key: readFileSync(opts.pki.adminKey),
    });
    this.server = createServer((req, res) => {
      this.answering.set(req.socket, res);
      this.handle(req, res);
    });
    this.server.on('clientError', (_err, socket) => this.badRequest(socket));
  }

  /**
   * Like the API server (Go's net/http): the request in progress is answered first, then the
   * unparseable bytes get a 400 and the connection closes. Node's default would write the 400
   * at once, ahead of the pending answer, which no real API server does.
   */
  private badRequest(socket: Duplex): void {
    this.counts.malformed += 1;
    const reject = () => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\n400 Bad Request');
      else socket.destroy();
    };
    const pending = this.answering.get(socket as Socket);
    if (pending && !pending.writableFinished) pending.once('close', reject);
    else reject();
  }

  static async start(opts: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(opts);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
  }

  /** Kinds come from a shuffled bag of all three, so every kind shows up within any three faults. */
  private nextKind(): FaultKind {
    if (this.bag.length === 0) {
      this.bag = [...FAULT_KINDS];
      for (let i = this.bag.length - 1; i > 0; i -= 1) {
        const j = this.opts.random.between(0, i);
        [this.bag[i], this.bag[j]] = [this.bag[j] as FaultKind, this.bag[i] as FaultKind];
      }
    }
    return this.bag.pop() as FaultKind;
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.counts.requests += 1;
    const { random, rate } = this.opts;
    const kind = random.chance(rate) ? this.nextKind() : undefined;
    if (!kind) return this.forward(req, res);
    this.counts.byKind[kind] += 1;
    const label = `${kind} ${req.method ?? '?'}`;
    this.counts.byKindAndMethod[label] = (this.counts.byKindAndMethod[label] ?? 0) + 1;
    if (kind === 'conflict') {
      req.resume();
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(status(409, 'Conflict', 'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again (injected by the chaos proxy)'));
      return;
    }
    if (kind === 'internal') {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(status(500, 'InternalError', 'Internal error occurred: injected by the chaos proxy'));
      return;
    }
    const stall = random.between(this.opts.stallMs.min, this.opts.stallMs.max);
    const reachServer = random.chance(0.5);
    const drop = () => res.socket?.destroy();
    if (!reachServer) {
      req.resume();
      return this.later(stall, drop);
    }
    this.counts.lostAnswers += 1;
    this.send(req, (upstream) => {
      upstream.resume();
      this.later(stall, drop);
    }, drop);
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    this.counts.forwarded += 1;
    this.send(
      req,
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
      () => res.socket?.destroy(),
    );
  }

  /** Replays the request to the API server with the admin certificate. */
  private send(req: IncomingMessage, onResponse: (upstream: IncomingMessage) => void, onError: () => void): void {
    const target = new URL(req.url ?? '/', this.opts.upstream);
    const headers = { ...req.headers, host: target.host };
    const out = httpsRequest(target, { method: req.method, headers, agent: this.agent, timeout: 30_000 }, onResponse);
    out.on('timeout', () => out.destroy(new Error('upstream timeout')));
    out.on('error', onError);
    req.pipe(out);
  }
}
