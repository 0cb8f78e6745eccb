import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

// A TCP relay in front of the real PostgreSQL that cuts a connection at a chosen statement,
// the way a worker crash or a network failure would: `before` drops the connection instead of
// forwarding the statement (it never ran); `after` forwards it and drops the connection when
// the answer starts to come back (it ran, and the worker never learned so). The wire protocol
// is plain text on loopback, so statements are recognised by their SQL text.

export interface Cut {
  /** SQL text that identifies the statement. */
  readonly match: string;
  readonly when: 'before' | 'after';
  /** Cut at the n-th statement that matches (1-based) after arming. */
  readonly occurrence: number;
}

export class CuttingProxy {
  private armed: (Cut & { seen: number }) | undefined;
  private trippedCut: Cut | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  private constructor(private readonly upstream: { host: string; port: number }) {
    this.server = createServer((client) => this.relay(client));
  }

  static async start(upstream: { host: string; port: number }): Promise<CuttingProxy> {
    const proxy = new CuttingProxy(upstream);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Arms one cut (or none); returns whether the previous one tripped. */
  arm(cut: Cut | undefined): void {
    this.armed = cut ? { ...cut, seen: 0 } : undefined;
    this.trippedCut = undefined;
  }

  get tripped(): Cut | undefined {
    return this.trippedCut;
  }

  private relay(client: Socket): void {
    const server = connect(this.upstream.port, this.upstream.host);
    this.sockets.add(client).add(server);
    let dropNextAnswer = false;
    const cutBoth = () => {
      client.destroy();
      server.destroy();
    };
    client.on('data', (chunk) => {
      const cut = this.armed;
      if (cut && chunk.includes(cut.match, 0, 'utf8')) {
        cut.seen += 1;
        if (cut.seen === cut.occurrence) {
          this.armed = undefined;
          this.trippedCut = cut;
          if (cut.when === 'before') return cutBoth();
          dropNextAnswer = true;
        }
      }
      server.write(chunk);
    });
    server.on('data', (chunk) => {
      if (dropNextAnswer) return cutBoth();
      client.write(chunk);
    });
    for (const socket of [client, server]) {
      socket.on('error', cutBoth);
      socket.on('close', () => {
        this.sockets.delete(socket);
        cutBoth();
      });
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
