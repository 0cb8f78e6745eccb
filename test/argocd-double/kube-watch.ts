import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../src/kubernetes';

// A watch that stays open: it reconnects from the last resourceVersion it saw (bookmarks keep
// that fresh), and starts over with a full replay of ADDED events when the server says the
// version is too old (410 Gone). Controllers and the benchmark's timestamps both need events
// as they happen, which polling a list of 1,000 objects cannot give without flooding the API.

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface KubeWatch {
  /** Resolves once the server has replayed the objects that existed when the watch opened. */
  readonly synced: Promise<void>;
  stop(): void;
}

interface RawEvent {
  type: string;
  object: KubeObject & { code?: number };
}

const RECONNECT_MS = 200;

/**
 * Watches a collection path (`/api/v1/namespaces`, `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications`).
 * `onEvent` gets every ADDED/MODIFIED/DELETED with the time it arrived (`performance.now()`).
 */
export function watchObjects(kubeConfig: KubeConfig, path: string, onEvent: (type: WatchEventType, obj: KubeObject, at: number) => void): KubeWatch {
  const watch = new Watch(kubeConfig);
  let resourceVersion: string | undefined;
  let controller: AbortController | undefined;
  let stopped = false;
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((resolve) => (markSynced = resolve));

  const open = async (): Promise<void> => {
    if (stopped) return;
    // sendInitialEvents ends the replay with a bookmark, so `synced` is known exactly.
    const initial = resourceVersion === undefined;
    const params = initial
      ? { allowWatchBookmarks: true, sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' }
      : { allowWatchBookmarks: true, resourceVersion };
    const retry = () => {
      if (!stopped) setTimeout(() => void open(), RECONNECT_MS);
    };
    // Never rejects: a failed (re)connect is retried like a closed watch.
    controller = await watch.watch(
      path,
      params,
      (type: string, obj: RawEvent['object']) => {
        const at = performance.now();
        if (obj?.metadata?.resourceVersion) resourceVersion = obj.metadata.resourceVersion;
        if (type === 'BOOKMARK') {
          if (obj.metadata.annotations?.['k8s.io/initial-events-end'] === 'true') markSynced();
          return;
        }
        if (type === 'ERROR') {
          // 410: the version we resume from was compacted away; replay from now.
          if (obj.code === 410) resourceVersion = undefined;
          return;
        }
        onEvent(type as WatchEventType, obj, at);
      },
      retry,
    ).catch(() => {
      retry();
      return undefined;
    });
    if (stopped) controller?.abort();
  };
  void open();
  return {
    synced,
    stop() {
      stopped = true;
      controller?.abort();
      markSynced();
    },
  };
}
