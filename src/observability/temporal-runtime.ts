import { Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';
import { TemporalPinoLogger } from './temporal-logger';

// The SDK's Runtime is a process-wide singleton that takes its logger when it is created,
// which happens on the first worker or native connection. So previewd installs its logger
// before that, once; later calls (tests create many workers in one process) only retarget it.

export type TemporalLoggingInstall = 'installed' | 'retargeted' | 'unavailable';

let forwarder: TemporalPinoLogger | undefined;

/**
 * Routes the SDK's logs (its own, workflow `log`, activity `log`, and the Rust core's warnings)
 * to `logger`. 'unavailable': something created the Runtime first, and its logs keep going
 * where that chose.
 */
export function installTemporalLogging(logger: Logger): TemporalLoggingInstall {
  if (forwarder) {
    forwarder.target = logger;
    return 'retargeted';
  }
  const candidate = new TemporalPinoLogger(logger);
  try {
    Runtime.install({ logger: candidate, telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } } } });
  } catch {
    return 'unavailable';
  }
  forwarder = candidate;
  return 'installed';
}
