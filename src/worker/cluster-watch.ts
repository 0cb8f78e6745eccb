import { createHash } from 'node:crypto';
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { clusterChangedSignal, type ClusterChange } from '../../workflows/contract';
import type { ClusterSettings } from '../config/cluster';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, previewKeys, type KubeObject } from '../kubernetes';
import { previewWorkflowId } from '../lifecycle';

// One watch per worker on previewd's Applications and namespaces. When one changes in a way a
// waiting workflow cares about — an Application's sync/health/operation for its source, an
// Application or namespace gone — the preview's workflow gets `clusterChanged`, which ends its
// durable-timer wait early (workflows/cluster-waits.ts). The timers stay the safety net: a
// missed event (watch down, worker restarting) only means the next check comes at its time.
//
// Cheap by construction:
// - no object cache: a short digest per Application, so memory stays flat with previews;
// - a signal only when the digest moves (not on Argo CD's periodic `reconciledAt` refresh);
// - signals coalesce per workflow while one is in flight, and run a few at a time;
// - every worker replica watches, so a change is signalled once per replica: each costs the
//   workflow one history event and at most one extra check, and the content is never trusted;
// - a signal to a run that has ended (WorkflowNotFoundError) is dropped.

export interface ClusterWatchOptions {
  readonly kubeConfig: KubeConfig;
  readonly settings: Pick<ClusterSettings, 'labelDomain' | 'argocd'>;
  readonly client: Client;
  readonly logger?: Logger;
  /** Signals in flight at once; default 8. */
  readonly concurrency?: number;
}

export interface ClusterWatchStats {
  events: number;
  signalsSent: number;
  signalsToEndedRuns: number;
  signalErrors: number;
  restarts: number;
}

interface WatchEvent {
  readonly type: string;
  readonly object: KubeObject;
}

const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 30_000;

/** What a readiness check reads from an Application; a change of anything else wakes nobody. */
export function applicationDigest(app: KubeObject, headShaKey: string): string {
  const status = (app.status ?? {}) as {
    sync?: { status?: string; revision?: string; comparedTo?: unknown };
    health?: { status?: string };
    operationState?: { phase?: string; syncResult?: { revision?: string } };
  };
  const relevant = [
    app.metadata.labels?.[headShaKey],
    app.metadata.deletionTimestamp,
    status.sync?.status,
    status.sync?.revision,
    JSON.stringify(status.sync?.comparedTo ?? null),
    status.health?.status,
    status.operationState?.phase,
    status.operationState?.syncResult?.revision,
  ];
  return createHash('sha1').update(JSON.stringify(relevant)).digest('base64').slice(0, 12);
}

export class ClusterWatch {
  readonly stats: ClusterWatchStats = { events: 0, signalsSent: 0, signalsToEndedRuns: 0, signalErrors: 0, restarts: 0 };
  private readonly digests = new Map<string, string>();
  private readonly pending = new Map<string, ClusterChange>();
  private readonly inFlight = new Set<string>();
  private readonly aborts = new Set<AbortController>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly keys;

  constructor(private readonly options: ClusterWatchOptions) {
    this.keys = previewKeys(options.settings);
  }

  start(): void {
    const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
    this.watch('applications', `/apis/argoproj.io/v1alpha1/namespaces/${this.options.settings.argocd.namespace}/applications`, selector, (e) => this.onApplication(e));
    this.watch('namespaces', '/api/v1/namespaces', selector, (e) => this.onNamespace(e));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    for (const a of this.aborts) a.abort();
    const deadline = Date.now() + 5_000;
    while (this.inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  /** A watch without a resourceVersion: it starts with the current objects, which the digests absorb, and restarts the same way. */
  private watch(name: string, path: string, labelSelector: string, handle: (e: WatchEvent) => void, failures = 0): void {
    if (this.stopped) return;
    const restart = (err: unknown) => {
      if (this.stopped) return;
      this.stats.restarts++;
      if (err) this.options.logger?.warn({ watch: name, err: (err as Error).message }, 'cluster watch ended; restarting');
      const delay = err ? Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** failures) : 0;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.watch(name, path, labelSelector, handle, err ? failures + 1 : 0);
      }, delay);
      this.timers.add(timer);
    };
    new Watch(this.options.kubeConfig)
      .watch(path, { labelSelector, allowWatchBookmarks: true }, (type, object: KubeObject) => {
        if (type === 'BOOKMARK' || type === 'ERROR') return;
        this.stats.events++;
        handle({ type, object });
      }, (err) => {
        restart(err);
      })
      .then(
        (abort) => {
          if (this.stopped) abort.abort();
          else this.aborts.add(abort);
        },
        restart,
      );
  }

  private onApplication({ type, object }: WatchEvent): void {
    const name = object.metadata.name;
    const repository = object.metadata.annotations?.[this.keys.repository];
    const pr = Number(object.metadata.labels?.[this.keys.pr]);
    if (type === 'DELETED') {
      this.digests.delete(name);
    } else {
      const digest = applicationDigest(object, this.keys.headSha);
      const before = this.digests.get(name);
      this.digests.set(name, digest);
      // A first sight (startup, a new Application) wakes nobody: the workflow checks after deploying anyway.
      if (before === undefined || before === digest) return;
    }
    if (!repository || !Number.isInteger(pr) || pr < 1) return;
    let workflowId: string;
    try {
      workflowId = previewWorkflowId({ repository, number: pr });
    } catch {
      return;
    }
    this.signal(workflowId, { kind: 'Application', name: `${object.metadata.namespace ?? ''}/${name}` });
  }

  private onNamespace({ type, object }: WatchEvent): void {
    // A teardown waits for the namespace to be gone; nothing else about it is waited on.
    if (type !== 'DELETED') return;
    const workflowId = object.metadata.annotations?.[this.keys.workflowId];
    if (workflowId) this.signal(workflowId, { kind: 'Namespace', name: object.metadata.name });
  }

  private signal(workflowId: string, change: ClusterChange): void {
    this.pending.set(workflowId, change);
    this.drain();
  }

  private drain(): void {
    const limit = this.options.concurrency ?? 8;
    for (const [workflowId, change] of this.pending) {
      if (this.inFlight.size >= limit) return;
      if (this.inFlight.has(workflowId)) continue;
      this.pending.delete(workflowId);
      this.inFlight.add(workflowId);
      void this.send(workflowId, change).finally(() => {
        this.inFlight.delete(workflowId);
        this.drain();
      });
    }
  }

  private async send(workflowId: string, change: ClusterChange): Promise<void> {
    try {
      await this.options.client.workflow.getHandle(workflowId).signal(clusterChangedSignal, change);
      this.stats.signalsSent++;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        this.stats.signalsToEndedRuns++;
        return;
      }
      // Only a wake-up: the workflow's timer checks again anyway.
      this.stats.signalErrors++;
      this.options.logger?.debug({ workflowId, err: (err as Error).message }, 'clusterChanged signal failed');
    }
  }
}
