import { Connection } from '@temporalio/client';
import { PREVIEW_SEARCH_ATTRIBUTES } from '../../workflows/contract';
import { cliTypeName } from '../worker/search-attributes';
import { freePorts } from './free-ports';
import { startProcess, waitFor, type ManagedProcess } from './managed-process';
import { guardedInterceptors } from '../temporal-client';

export interface TemporalDevServer {
  readonly address: string;
  readonly uiUrl: string | undefined;
  readonly namespace: string;
  readonly process: ManagedProcess;
}

export interface TemporalDevServerOptions {
  readonly cliPath: string;
  readonly logDir: string;
  readonly namespace?: string;
  /** Persist to this SQLite file (dev mode); omitted means in-memory (tests). */
  readonly dbFile?: string;
  readonly ui?: boolean;
  readonly uiPort?: number;
  readonly port?: number;
  readonly dynamicConfig?: Readonly<Record<string, string | number | boolean>>;
  /** Register previewd's search attributes at start (default); false: a namespace as a fresh server has it. */
  readonly searchAttributes?: boolean;
}

/**
 * Task-queue priority (previewd's step priorities) and fairness (per repository) are decided by
 * the server's new matcher, and fairness must be switched on. One partition per task queue: a
 * dev server is one process, and a backlog spread over several partitions is only ordered
 * within each. Production servers set the first two for the namespace or task queue (docs/config.md).
 */
export const PRIORITY_FAIRNESS_DYNAMIC_CONFIG: Readonly<Record<string, boolean | number>> = Object.freeze({
  'matching.useNewMatcher': true,
  'matching.enableFairness': true,
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
});

export function searchAttributeFlags(): string[] {
  return PREVIEW_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliTypeName(key.type)}`]);
}

/** Starts `temporal server start-dev` (with previewd's search attributes registered, unless told not to) and waits until it serves. */
export async function startTemporalDevServer(opts: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const [grpcPort, httpPort, metricsPort, uiPort] = (await freePorts(4)) as [number, number, number, number];
  const port = opts.port ?? grpcPort;
  const namespace = opts.namespace ?? 'default';
  const ui = opts.ui ?? true;
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--http-port', String(httpPort),
    '--metrics-port', String(metricsPort),
    '--namespace', namespace,
    '--log-level', 'warn',
    ...(opts.searchAttributes === false ? [] : searchAttributeFlags()),
    ...(ui ? ['--ui-port', String(opts.uiPort ?? uiPort), '--ui-disable-news-fetch'] : ['--headless']),
    ...(opts.dbFile ? ['--db-filename', opts.dbFile] : []),
    ...Object.entries({ ...PRIORITY_FAIRNESS_DYNAMIC_CONFIG, ...opts.dynamicConfig }).flatMap(([k, v]) => ['--dynamic-config-value', `${k}=${JSON.stringify(v)}`]),
  ];
  const process = startProcess('temporal-dev-server', opts.cliPath, args, { logDir: opts.logDir });
  const address = `127.0.0.1:${port}`;
  await waitFor(
    'Temporal dev server',
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1_000, interceptors: guardedInterceptors() });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return true;
      } finally {
        await connection.close();
      }
    },
    { timeoutMs: 60_000, process, intervalMs: 300 },
  );
  return { address, namespace, uiUrl: ui ? `http://127.0.0.1:${opts.uiPort ?? uiPort}` : undefined, process };
}
