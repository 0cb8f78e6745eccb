import { Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';
import { TemporalPinoLogger, type TemporalLogListener } from './temporal-logger';

// The SDK's Runtime is a process-wide singleton that takes its logger when it is created,
// which happens on the first worker or native connection. So previewd installs its logger
// before that, once; later calls (tests create many workers in one process) only retarget it.

export type TemporalLoggingInstall = 'installed' | 'retargeted' | 'unavailable';

let forwarder: TemporalPinoLogger | undefined;

export interface TemporalRuntimeOptions {
  /**
   * Serve the Core SDK's Prometheus metrics on 127.0.0.1:<port> (the worker's /metrics merges
   * them in). Counters end in `_total`, names carry their unit, durations are in seconds: the
   * Prometheus conventions, so they sit next to previewd's own metrics without surprises.
   */
  readonly coreMetricsPort?: number;
}

/** The loopback address Core serves its metrics on. */
export function coreMetricsAddress(port: number): string {
  return `127.0.0.1:${port}`;
}

/**
 * Routes the SDK's logs (its own, workflow `log`, activity `log`, and the Rust core's warnings)
 * to `logger`, and optionally exports Core's metrics. 'unavailable': something created the
 * Runtime first, and its logs keep going where that chose.
 */
export function installTemporalLogging(logger: Logger, options: TemporalRuntimeOptions = {}): TemporalLoggingInstall {
  if (forwarder) {
    forwarder.target = logger;
    return 'retargeted';
  }
  const candidate = new TemporalPinoLogger(logger);
  const port = options.coreMetricsPort;
  const metrics = port
    ? { metrics: { prometheus: { bindAddress: coreMetricsAddress(port), countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } } }
    : {};
  try {
    Runtime.install({ logger: candidate, telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } }, ...metrics } });
  } catch {
    return 'unavailable';
  }
  forwarder = candidate;
  return 'installed';
}

/**
 * Lets `listener` see the SDK's forwarded lines (Core's warnings included); the returned
 * function stops it. Undefined when previewd did not install the Runtime's logger, so there is
 * nothing to listen to.
 */
export function listenToTemporalLogs(listener: TemporalLogListener): (() => void) | undefined {
  return forwarder?.listen(listener);
}
