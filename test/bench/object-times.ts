import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../src/kubernetes';
import { watchObjects, type KubeWatch } from '../argocd-double';

// When objects appear and when their deletion is issued, as seen by a watch on the API server
// (events arrive within milliseconds; a poll would add up to its interval to every figure).
// Times are epoch milliseconds, comparable with the expiry instants the workflows report.

export type Moment = 'added' | 'deleting';

interface Waiter {
  readonly moment: Moment;
  readonly resolve: (at: number) => void;
}

export class ObjectTimes {
  readonly added = new Map<string, number>();
  /** First event with deletionTimestamp set, or DELETED if that came first. */
  readonly deleting = new Map<string, number>();
  readonly annotations = new Map<string, Readonly<Record<string, string>>>();
  private readonly waiters = new Map<string, Waiter[]>();
  private watch: KubeWatch | undefined;

  private constructor(private readonly include: (obj: KubeObject) => boolean) {}

  /** Watches `path` (a collection); resolves once existing objects have been replayed. */
  static async start(kubeConfig: KubeConfig, path: string, include: (obj: KubeObject) => boolean = () => true): Promise<ObjectTimes> {
    const times = new ObjectTimes(include);
    times.watch = watchObjects(kubeConfig, path, (type, obj, at) => times.record(type, obj, performance.timeOrigin + at));
    await times.watch.synced;
    return times;
  }

  stop(): void {
    this.watch?.stop();
  }

  /** Resolves with the time of `moment` for `name` (at once if it was already seen). */
  when(moment: Moment, name: string, timeoutMs: number): Promise<number> {
    const seen = this[moment].get(name);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${moment} event for ${name} within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiters.get(name) ?? [];
      list.push({ moment, resolve: (at) => (clearTimeout(timer), resolve(at)) });
      this.waiters.set(name, list);
    });
  }

  private record(type: string, obj: KubeObject, at: number): void {
    if (!this.include(obj)) return;
    const name = obj.metadata.name;
    if (!this.added.has(name)) this.mark('added', name, at);
    if (obj.metadata.annotations) this.annotations.set(name, obj.metadata.annotations);
    if ((type === 'DELETED' || obj.metadata.deletionTimestamp) && !this.deleting.has(name)) this.mark('deleting', name, at);
  }

  private mark(moment: Moment, name: string, at: number): void {
    this[moment].set(name, at);
    const list = this.waiters.get(name);
    if (!list) return;
    const keep = list.filter((w) => {
      if (w.moment !== moment) return true;
      w.resolve(at);
      return false;
    });
    if (keep.length > 0) this.waiters.set(name, keep);
    else this.waiters.delete(name);
  }
}
