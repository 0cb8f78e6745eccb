import { createHash } from 'node:crypto';
import { ARGOCD_RESOURCES_FINALIZER, refOf, type KubeObject } from '../../src/kubernetes';
import { KubernetesApiError, type KubeApi } from '../../activities/kubernetes';
import { TRACKING_LABEL, workloadsFor, type WorkloadShape } from './workloads';

// Plays Argo CD's part against the real API server, as envtest-style operator tests do:
// it "syncs" Applications (creates their workloads, writes status the way the application
// controller does, including `status.sync.comparedTo`), and on deletion prunes the workloads
// and removes `resources-finalizer.argocd.argoproj.io`. Test-only; previewd never ships it.

const APPLICATION = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
const CONTROLLER = 'argocd-application-controller';
const PVC_PROTECTION = 'kubernetes.io/pvc-protection';

/** Errors a controller shrugs off and retries on its next pass. */
export function isTransient(err: unknown): boolean {
  if (err instanceof KubernetesApiError) return err.code === 429 || err.code >= 500;
  return err instanceof Error && /ECONNRESET|socket hang up|timed out/.test(err.message);
}

export interface HealthVerdict {
  readonly status: 'Healthy' | 'Progressing' | 'Degraded' | 'Missing' | 'Suspended' | 'Unknown';
  readonly message?: string;
}

export interface ArgoCdDoubleOptions {
  readonly api: KubeApi;
  readonly argocdNamespace: string;
  /** Only Applications deploying into this namespace are touched (tests share the cluster). */
  readonly destinationNamespace?: string;
  /**
   * Instead of one namespace: every destination namespace starting with this prefix (`pr-`),
   * so one double serves all previews of a run (the benchmark's 1,000). Set exactly one of the two.
   */
  readonly destinationPrefix?: string;
  /** Workload shape per service name. */
  readonly shapes?: Readonly<Record<string, WorkloadShape>>;
  /** Health to report after a sync; Healthy by default. */
  readonly health?: (service: string) => HealthVerdict;
  /** A failed sync of the current source instead of a successful one. */
  readonly failSync?: (service: string) => string | undefined;
}

interface Spec {
  source: { repoURL: string; targetRevision?: string };
  destination: { namespace: string; server?: string };
}

function serviceOf(app: KubeObject): string {
  return Object.entries(app.metadata.labels ?? {}).find(([k]) => k.endsWith('/service'))?.[1] ?? app.metadata.name;
}

/** The commit Argo CD would resolve targetRevision to: itself when it is a SHA, else a stable fake. */
function resolvedRevision(source: Spec['source']): string {
  const rev = source.targetRevision ?? 'HEAD';
  return /^[0-9a-f]{40}$/.test(rev) ? rev : createHash('sha1').update(`${source.repoURL}@${rev}`).digest('hex');
}

export class ArgoCdDouble {
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failure: unknown;
  reconciles = 0;

  constructor(private readonly opts: ArgoCdDoubleOptions) {
    if ((opts.destinationNamespace === undefined) === (opts.destinationPrefix === undefined)) {
      throw new Error('ArgoCdDouble: set exactly one of destinationNamespace and destinationPrefix');
    }
  }

  get argocdNamespace(): string {
    return this.opts.argocdNamespace;
  }

  /** Whether this double plays Argo CD for the Application (by its destination namespace). */
  serves(app: KubeObject): boolean {
    const destination = (app.spec as Spec | undefined)?.destination?.namespace;
    if (destination === undefined) return false;
    const { destinationNamespace, destinationPrefix } = this.opts;
    return destinationNamespace !== undefined ? destination === destinationNamespace : destination.startsWith(destinationPrefix ?? '');
  }

  /** Keep this Application's finalizer, as a broken or absent Argo CD would. */
  holdFinalizer(application: string): void {
    this.held.add(application);
  }

  releaseFinalizer(application: string): void {
    this.held.delete(application);
  }

  async applications(): Promise<KubeObject[]> {
    const apps = await this.opts.api.list(APPLICATION.apiVersion, APPLICATION.kind, { namespace: this.opts.argocdNamespace });
    return apps.filter((a) => this.serves(a));
  }

  /** One pass of the "application controller" over the Applications of the namespace. */
  async reconcile(): Promise<void> {
    this.reconciles += 1;
    for (const app of await this.applications()) await this.reconcileApplication(app);
  }

  /** What the controller does for one Application as last seen (a list item or a watch event). */
  async reconcileApplication(app: KubeObject): Promise<void> {
    if (app.metadata.deletionTimestamp) await this.finalize(app);
    else if (!this.upToDate(app)) await this.sync(app);
  }

  /** Reconciles in the background until `stop()`, like the real controller. */
  start(intervalMs = 100): void {
    const loop = () => {
      this.running = this.reconcile()
        .catch((err: unknown) => {
          if (!isTransient(err)) this.failure ??= err;
        })
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(loop, intervalMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    if (this.failure) throw this.failure instanceof Error ? this.failure : new Error(`Argo CD double failed: ${JSON.stringify(this.failure)}`);
  }

  /** Status as the controller would write it after syncing `source` (possibly an old one). */
  async writeSyncedStatus(app: KubeObject, source: unknown, health: HealthVerdict = { status: 'Healthy' }, failure?: string): Promise<void> {
    const spec = app.spec as Spec;
    const revision = resolvedRevision(source as Spec['source']);
    const now = new Date().toISOString();
    const status = {
      sync: { status: failure ? 'OutOfSync' : 'Synced', revision, comparedTo: { source, destination: spec.destination } },
      health: { status: failure ? 'Missing' : health.status, ...(health.message ? { message: health.message } : {}) },
      operationState: {
        phase: failure ? 'Failed' : 'Succeeded',
        message: failure ?? 'successfully synced (all tasks run)',
        startedAt: now,
        finishedAt: now,
        operation: { sync: { revision }, initiatedBy: { automated: true } },
        syncResult: { revision, source },
      },
      reconciledAt: now,
      sourceType: 'Helm',
    };
    await this.opts.api.jsonPatch(refOf(app), [{ op: 'add', path: '/status', value: status }], CONTROLLER);
  }

  private upToDate(app: KubeObject): boolean {
    const comparedTo = (app.status as { sync?: { comparedTo?: { source?: unknown } } } | undefined)?.sync?.comparedTo?.source;
    return JSON.stringify(comparedTo) === JSON.stringify((app.spec as Spec).source);
  }

  private async sync(app: KubeObject): Promise<void> {
    const service = serviceOf(app);
    const failure = this.opts.failSync?.(service);
    if (!failure) {
      for (const obj of workloadsFor(app, service, this.opts.shapes?.[service])) await this.opts.api.apply(obj, CONTROLLER);
    }
    await this.writeSyncedStatus(app, (app.spec as Spec).source, this.opts.health?.(service), failure);
  }

  /**
   * The test cluster runs no pvc-protection controller; no pod uses the claim, so that
   * controller would drop its finalizer right away. Do it in its place.
   */
  private async releaseClaim(claim: KubeObject): Promise<void> {
    try {
      await this.opts.api.mergePatch(refOf(claim), { metadata: { finalizers: (claim.metadata.finalizers ?? []).filter((f) => f !== PVC_PROTECTION) } }, CONTROLLER);
    } catch (err) {
      if (!(err instanceof KubernetesApiError && err.code === 404)) throw err;
    }
  }

  /** What the resources finalizer does: prune everything the Application deployed, then let go. */
  private async finalize(app: KubeObject): Promise<void> {
    const finalizers = app.metadata.finalizers ?? [];
    if (!finalizers.includes(ARGOCD_RESOURCES_FINALIZER) || this.held.has(app.metadata.name)) return;
    const namespace = (app.spec as Spec).destination.namespace;
    const selector = `${TRACKING_LABEL}=${app.metadata.name}`;
    for (const [apiVersion, kind] of [
      ['apps/v1', 'Deployment'],
      ['apps/v1', 'StatefulSet'],
      ['v1', 'PersistentVolumeClaim'],
    ] as const) {
      for (const obj of await this.opts.api.list(apiVersion, kind, { namespace, labelSelector: selector })) {
        await this.opts.api.delete(refOf(obj));
        if (obj.metadata.finalizers?.includes(PVC_PROTECTION)) await this.releaseClaim(obj);
      }
    }
    // Compare-and-swap on the finalizer list: if the garbage collector changed it meanwhile
    // (its foregroundDeletion finalizer), the test op fails and the next pass retries.
    try {
      await this.opts.api.jsonPatch(
        refOf(app),
        [
          { op: 'test', path: '/metadata/finalizers', value: finalizers },
          { op: 'replace', path: '/metadata/finalizers', value: finalizers.filter((f) => f !== ARGOCD_RESOURCES_FINALIZER) },
        ],
        CONTROLLER,
      );
    } catch (err) {
      if (!(err instanceof KubernetesApiError && [404, 409, 422].includes(err.code))) throw err;
    }
  }
}
