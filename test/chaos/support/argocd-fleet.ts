import type { KubeApi } from '../../../activities/kubernetes';
import { ArgoCdDouble } from '../../argocd-double';
import { ARGOCD_NAMESPACE } from './chaos-cluster';

// Argo CD for many previews at once: one double per destination namespace, started when a
// preview is opened and stopped when its namespace is gone. It talks to the API server
// directly, never through the fault proxy: the faults are previewd's, not Argo CD's.

export class ArgoCdFleet {
  private readonly doubles = new Map<string, ArgoCdDouble>();
  readonly failures: string[] = [];

  constructor(
    private readonly api: KubeApi,
    private readonly intervalMs = 300,
  ) {}

  add(namespace: string): void {
    if (this.doubles.has(namespace)) return;
    const double = new ArgoCdDouble({ api: this.api, argocdNamespace: ARGOCD_NAMESPACE, destinationNamespace: namespace });
    this.doubles.set(namespace, double);
    double.start(this.intervalMs);
  }

  async remove(namespace: string): Promise<void> {
    const double = this.doubles.get(namespace);
    if (!double) return;
    this.doubles.delete(namespace);
    try {
      await double.stop();
    } catch (err) {
      this.failures.push(`Argo CD double for ${namespace}: ${(err as Error).message}`);
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.doubles.keys()].map((ns) => this.remove(ns)));
  }
}
