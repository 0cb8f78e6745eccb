import type { PreviewRef } from '../../../workflows/contract';

// The cluster as the lifecycle's Kubernetes activities see it, reduced to what the ordering
// rules are about: which preview namespaces exist (and whether one is being deleted) and which
// Argo CD Applications exist, for which service, at which head. The rules mirror the real
// activities (activities/kubernetes): writes need a namespace that exists and is not
// terminating, a namespace being deleted makes ensureNamespace retry, teardown deletes the
// preview's Applications before its namespace. It is one cluster for the whole test file,
// shared by every case, as the real one is.

export interface ModelNamespace {
  readonly name: string;
  /** The workflow id the namespace was created for (the real annotation). */
  readonly owner: string;
  terminating: boolean;
}

export interface ModelApplication {
  readonly name: string;
  /** Destination namespace. */
  readonly namespace: string;
  readonly service: string;
  readonly headSha: string;
  /** Wall-clock ms of the last apply: Argo CD reports on a revision a little after it is applied. */
  readonly appliedAt: number;
  /** Deleted, waiting for Argo CD's finalizer to prune what it deployed. */
  deleting: boolean;
}

/** Same naming scheme as the other doubles: `pr-<repoKey>-<n>`. */
export function modelNamespaceName(preview: PreviewRef): string {
  return `pr-${preview.repoKey}-${preview.prNumber}`;
}

export function modelApplicationName(preview: PreviewRef, service: string): string {
  return `${modelNamespaceName(preview)}-${service}`;
}

export class ClusterModel {
  private readonly namespaces = new Map<string, ModelNamespace>();
  private readonly applications = new Map<string, ModelApplication>();

  namespace(name: string): ModelNamespace | undefined {
    return this.namespaces.get(name);
  }

  createNamespace(name: string, owner: string): ModelNamespace {
    const ns: ModelNamespace = { name, owner, terminating: false };
    this.namespaces.set(name, ns);
    return ns;
  }

  deleteNamespace(name: string): void {
    this.namespaces.delete(name);
  }

  application(name: string): ModelApplication | undefined {
    return this.applications.get(name);
  }

  applyApplication(app: ModelApplication): void {
    this.applications.set(app.name, app);
  }

  deleteApplication(name: string): void {
    this.applications.delete(name);
  }

  /** The preview's Applications: selected by name, confirmed by destination (as teardown does). */
  applicationsOf(preview: PreviewRef): ModelApplication[] {
    const ns = modelNamespaceName(preview);
    return [...this.applications.values()].filter((a) => a.namespace === ns && a.name.startsWith(`${ns}-`));
  }
}
