import { describeRef, refOf, type KubeObject, type ObjectRef } from '../../src/kubernetes';
import { KubernetesApiError } from './kubernetes-api-error';
import type { KubeRequest, KubeResponse, KubeTransport } from './kube-transport';
import { collectionPath, objectPath } from './resource-paths';

export const FIELD_MANAGER = 'previewd';

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

// The API server answers 429 while a watch cache (re)initialises or under priority-and-fairness
// pressure, and 503 with Retry-After when it sheds load; client-go waits as Retry-After asks and
// retries, and so does this client. The wait is bounded: past the budget the error surfaces and
// the activity's own retry policy (with its backoff) takes over, so a slot is never held for long.
const THROTTLE_RETRIES = 5;
const THROTTLE_DELAY_MS = 200;
/** Longest single wait a Retry-After may ask for here. */
const MAX_RETRY_AFTER_MS = 10_000;
/** Longest total wait across the retries of one call. */
const THROTTLE_BUDGET_MS = 20_000;

/** How long to wait before sending again, or undefined to give up on this response. */
export function throttleDelay(res: KubeResponse, attempt: number, waitedMs: number): number | undefined {
  const throttled = res.status === 429 || (res.status === 503 && res.retryAfterMs !== undefined);
  if (!throttled || attempt > THROTTLE_RETRIES) return undefined;
  const wait = Math.min(MAX_RETRY_AFTER_MS, res.retryAfterMs ?? THROTTLE_DELAY_MS * attempt);
  return waitedMs + wait > THROTTLE_BUDGET_MS ? undefined : wait;
}

/** The handful of verbs previewd uses, on plain JSON objects. */
export class KubeApi {
  constructor(
    private readonly transport: KubeTransport,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  private async send(operation: string, req: KubeRequest): Promise<unknown> {
    let res = await this.transport(req);
    let waited = 0;
    for (let attempt = 1; ; attempt += 1) {
      const wait = throttleDelay(res, attempt, waited);
      if (wait === undefined) break;
      await this.sleep(wait);
      waited += wait;
      res = await this.transport(req);
    }
    if (res.status < 200 || res.status > 299) throw KubernetesApiError.fromResponse(operation, res.status, res.body);
    return res.body;
  }

  /**
   * Server-side apply as field manager `previewd`. `force` takes over fields another manager
   * set by hand: previewd is the source of truth for the objects it owns, and drift is what a
   * re-apply exists to undo. An unchanged object is a no-op (no new resourceVersion).
   */
  async apply<T extends KubeObject = KubeObject>(obj: KubeObject, fieldManager = FIELD_MANAGER): Promise<T> {
    return (await this.send(`apply ${describeRef(refOf(obj))}`, {
      method: 'PATCH',
      path: objectPath(refOf(obj)),
      query: { fieldManager, force: 'true' },
      body: obj,
      contentType: 'application/apply-patch+yaml',
    })) as T;
  }

  /** Create-only: fails with 409 when the object exists, so nothing is adopted by accident. */
  async create<T extends KubeObject = KubeObject>(obj: KubeObject): Promise<T> {
    return (await this.send(`create ${describeRef(refOf(obj))}`, {
      method: 'POST',
      path: collectionPath(obj.apiVersion, obj.kind, obj.metadata.namespace),
      query: { fieldManager: FIELD_MANAGER },
      body: obj,
    })) as T;
  }

  /** The object, or undefined when it does not exist. */
  async get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    try {
      return (await this.send(`get ${describeRef(ref)}`, { method: 'GET', path: objectPath(ref) })) as T;
    } catch (err) {
      if (err instanceof KubernetesApiError && err.code === 404) return undefined;
      throw err;
    }
  }

  async list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, opts: { namespace?: string; labelSelector?: string } = {}): Promise<T[]> {
    const query: Record<string, string> = opts.labelSelector ? { labelSelector: opts.labelSelector } : {};
    const where = opts.namespace ? ` in ${opts.namespace}` : '';
    const list = (await this.send(`list ${kind}${where}`, { method: 'GET', path: collectionPath(apiVersion, kind, opts.namespace), query })) as {
      items?: T[];
    };
    // List items come without apiVersion and kind; put them back so items are addressable.
    return (list.items ?? []).map((item) => ({ ...item, apiVersion, kind }));
  }

  /** Deletes; `false` when it was already gone (a 404 is success for an idempotent delete). */
  async delete(ref: ObjectRef, propagationPolicy?: PropagationPolicy): Promise<boolean> {
    try {
      await this.send(`delete ${describeRef(ref)}`, {
        method: 'DELETE',
        path: objectPath(ref),
        body: propagationPolicy ? { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy } : undefined,
      });
      return true;
    } catch (err) {
      if (err instanceof KubernetesApiError && err.code === 404) return false;
      throw err;
    }
  }

  /** JSON merge patch (no field manager semantics): for status-like writes that are not previewd's own. */
  async mergePatch<T extends KubeObject = KubeObject>(ref: ObjectRef, patch: unknown, fieldManager = FIELD_MANAGER): Promise<T> {
    return (await this.send(`patch ${describeRef(ref)}`, {
      method: 'PATCH',
      path: objectPath(ref),
      query: { fieldManager },
      body: patch,
      contentType: 'application/merge-patch+json',
    })) as T;
  }

  /** RFC 6902 JSON patch; with a `test` op it is a compare-and-swap. */
  async jsonPatch<T extends KubeObject = KubeObject>(ref: ObjectRef, ops: unknown[], fieldManager = FIELD_MANAGER): Promise<T> {
    return (await this.send(`patch ${describeRef(ref)}`, {
      method: 'PATCH',
      path: objectPath(ref),
      query: { fieldManager },
      body: ops,
      contentType: 'application/json-patch+json',
    })) as T;
  }
}
