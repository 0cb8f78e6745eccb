import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../src/kubernetes';
import { isTransient, type ArgoCdDouble } from './argocd-double';
import { watchObjects, type KubeWatch } from './kube-watch';

// Drives an ArgoCdDouble the way the real application controller is driven: by a watch on
// Applications, with a work queue (one pass per Application at a time, always on its newest
// version) and a periodic full resync as a safety net. Polling every Application of a
// 1,000-preview run would either be slow to react or flood the API server.

export interface WatchingControllerOptions {
  readonly kubeConfig: KubeConfig;
  /** Applications reconciled at the same time. */
  readonly concurrency?: number;
  /** Full pass over every served Application, for anything a watch event did not settle. */
  readonly resyncMs?: number;
}

const RETRY_MS = 250;

export class WatchingController {
  /** Newest version of each Application waiting for a pass. */
  private readonly pending = new Map<string, KubeObject>();
  private readonly inFlight = new Set<string>();
  private readonly queue: string[] = [];
  private active = 0;
  private watch: KubeWatch | undefined;
  private resync: NodeJS.Timeout | undefined;
  private resyncing: Promise<void> | undefined;
  private failure: unknown;
  private stopped = false;
  passes = 0;

  constructor(
    readonly double: ArgoCdDouble,
    private readonly opts: WatchingControllerOptions,
  ) {}

  /** Starts watching; resolves once the Applications that already exist are queued. */
  async start(): Promise<void> {
    const path = `/apis/argoproj.io/v1alpha1/namespaces/${this.double.argocdNamespace}/applications`;
    this.watch = watchObjects(this.opts.kubeConfig, path, (type, app) => {
      if (type !== 'DELETED' && this.double.serves(app)) this.enqueue(app);
    });
    const every = this.opts.resyncMs ?? 30_000;
    const loop = () => {
      this.resyncing = this.double
        .reconcile()
        .catch((err: unknown) => this.record(err))
        .finally(() => {
          if (!this.stopped) this.resync = setTimeout(loop, every);
        });
    };
    this.resync = setTimeout(loop, every);
    await this.watch.synced;
  }

  /** Stops; throws the first error that was not transient (a bug in the double or the product). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watch?.stop();
    clearTimeout(this.resync);
    await this.resyncing;
    while (this.active > 0) await new Promise((r) => setTimeout(r, 20));
    if (this.failure) throw this.failure instanceof Error ? this.failure : new Error(`Argo CD double failed: ${JSON.stringify(this.failure)}`);
  }

  private enqueue(app: KubeObject): void {
    const name = app.metadata.name;
    const queued = this.pending.has(name);
    this.pending.set(name, app);
    if (!queued && !this.inFlight.has(name)) this.queue.push(name);
    this.drain();
  }

  private drain(): void {
    const limit = this.opts.concurrency ?? 8;
    while (!this.stopped && this.active < limit && this.queue.length > 0) {
      const name = this.queue.shift() as string;
      const app = this.pending.get(name);
      this.pending.delete(name);
      if (!app) continue;
      this.active++;
      this.inFlight.add(name);
      void this.pass(app).finally(() => {
        this.active--;
        this.inFlight.delete(name);
        // A newer version arrived during the pass: it goes to the back of the queue.
        if (this.pending.has(name)) this.queue.push(name);
        this.drain();
      });
    }
  }

  private async pass(app: KubeObject): Promise<void> {
    this.passes++;
    try {
      await this.double.reconcileApplication(app);
    } catch (err) {
      if (!isTransient(err)) return this.record(err);
      setTimeout(() => {
        if (!this.pending.has(app.metadata.name)) this.enqueue(app);
      }, RETRY_MS);
    }
  }

  private record(err: unknown): void {
    if (!isTransient(err)) this.failure ??= err;
  }
}
