import { readFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';

// Watches the Argo CD namespace for the scenario's Applications for the whole run and keeps
// every incarnation (uid) it sees. An Application is "duplicated" when one (preview, service)
// ever has two incarnations: two alive at once, or one created again after it was deleted
// (a deploy that outlived its teardown). The API server orders events by resourceVersion, so
// a sequence number of arrival is enough to compare lifetimes.

export interface ApplicationIncarnation {
  readonly name: string;
  readonly uid: string;
  /** `<pr>/<service>` from previewd's labels. */
  readonly key: string;
  readonly addedSeq: number;
  deletedSeq?: number;
}

interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: {
    readonly metadata?: { name?: string; uid?: string; labels?: Record<string, string>; resourceVersion?: string };
    readonly code?: number;
    readonly message?: string;
  };
}

export interface WatchTarget {
  readonly server: string;
  readonly pki: { readonly caCert: string; readonly adminCert: string; readonly adminKey: string };
  readonly namespace: string;
  readonly labelSelector: string;
  /** Label keys of the PR number and the service. */
  readonly prLabel: string;
  readonly serviceLabel: string;
}

export class ApplicationWatch {
  readonly incarnations = new Map<string, ApplicationIncarnation>();
  /** ERROR events of the watch (a 410 Gone means events were missed). */
  readonly errors: string[] = [];
  events = 0;
  reconnects = 0;
  private seq = 0;
  private resourceVersion = '';
  private response: IncomingMessage | undefined;
  private stopped = false;
  private readonly tls: Pick<RequestOptions, 'ca' | 'cert' | 'key'>;

  private constructor(private readonly target: WatchTarget) {
    this.tls = { ca: readFileSync(target.pki.caCert), cert: readFileSync(target.pki.adminCert), key: readFileSync(target.pki.adminKey) };
  }

  /** Lists (recording what exists), then watches from the list's resourceVersion. */
  static async start(target: WatchTarget): Promise<ApplicationWatch> {
    const watch = new ApplicationWatch(target);
    await watch.relist();
    watch.connect();
    return watch;
  }

  stop(): void {
    this.stopped = true;
    this.response?.destroy();
  }

  /** Incarnations not yet deleted. */
  live(): ApplicationIncarnation[] {
    return [...this.incarnations.values()].filter((i) => i.deletedSeq === undefined);
  }

  /** One line per duplicated (preview, service): overlapping lifetimes, or a re-creation. */
  duplicates(): string[] {
    const byKey = new Map<string, ApplicationIncarnation[]>();
    for (const inc of this.incarnations.values()) byKey.set(inc.key, [...(byKey.get(inc.key) ?? []), inc]);
    const found: string[] = [];
    for (const [key, list] of byKey) {
      if (list.length < 2) continue;
      const sorted = [...list].sort((a, b) => a.addedSeq - b.addedSeq);
      const overlapping = sorted.some((inc, i) => i > 0 && (sorted[i - 1]?.deletedSeq ?? Infinity) > inc.addedSeq);
      found.push(`${key}: ${list.length} incarnations (${sorted.map((i) => `${i.name}/${i.uid}`).join(', ')})${overlapping ? ', alive at the same time' : ', re-created after deletion'}`);
    }
    return found;
  }

  private record(event: WatchEvent): void {
    const meta = event.object.metadata ?? {};
    if (meta.resourceVersion) this.resourceVersion = meta.resourceVersion;
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'ERROR') {
      this.errors.push(`watch error ${event.object.code ?? '?'}: ${event.object.message ?? ''}`);
      return;
    }
    if (!meta.uid || !meta.name) return;
    this.events += 1;
    this.seq += 1;
    let inc = this.incarnations.get(meta.uid);
    if (!inc) {
      const labels = meta.labels ?? {};
      inc = { name: meta.name, uid: meta.uid, key: `${labels[this.target.prLabel] ?? '?'}/${labels[this.target.serviceLabel] ?? meta.name}`, addedSeq: this.seq };
      this.incarnations.set(meta.uid, inc);
    }
    if (event.type === 'DELETED') inc.deletedSeq ??= this.seq;
  }

  private path(watch: boolean): string {
    const q = new URLSearchParams({ labelSelector: this.target.labelSelector });
    if (watch) {
      q.set('watch', '1');
      q.set('allowWatchBookmarks', 'true');
      q.set('resourceVersion', this.resourceVersion);
    }
    return `/apis/argoproj.io/v1alpha1/namespaces/${this.target.namespace}/applications?${q.toString()}`;
  }

  private listOnce(): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(new URL(this.path(false), this.target.server), { ...this.tls, timeout: 15_000 }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  private async relist(): Promise<void> {
    let res = await this.listOnce();
    // 429 "storage is (re)initializing": the watch cache of freshly installed CRDs is warming up.
    for (let attempt = 0; res.status === 429 && attempt < 60; attempt += 1) {
      await new Promise((r) => setTimeout(r, 500));
      res = await this.listOnce();
    }
    if (res.status !== 200) throw new Error(`list Applications: ${res.status} ${res.body}`);
    const body = res.body;
    const list = JSON.parse(body) as { metadata: { resourceVersion: string }; items: WatchEvent['object'][] };
    for (const item of list.items) this.record({ type: 'ADDED', object: item });
    this.resourceVersion = list.metadata.resourceVersion;
  }

  /** The API server ends watches after a while; reconnect from the last resourceVersion seen. */
  private connect(): void {
    if (this.stopped) return;
    let ended = false;
    const again = () => {
      if (ended) return;
      ended = true;
      this.reconnect();
    };
    const req = request(new URL(this.path(true), this.target.server), this.tls, (res) => {
      this.response = res;
      if (res.statusCode !== 200) {
        this.errors.push(`watch error ${res.statusCode ?? 0}: the watch was refused`);
        res.resume();
        return;
      }
      let buffered = '';
      res.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line) this.record(JSON.parse(line) as WatchEvent);
        }
      });
      res.on('close', again);
    });
    req.on('error', () => {
      again();
    });
    req.end();
  }

  private reconnect(): void {
    if (this.stopped) return;
    // After an error (410 Gone: events were missed) the record has a hole; the test reports it.
    if (this.errors.length > 0) return;
    this.reconnects += 1;
    setTimeout(() => this.connect(), 200);
  }
}
