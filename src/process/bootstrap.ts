import type { Logger } from 'pino';
import { loadConfig, type PreviewdConfig } from '../config';
import { createLogger } from '../observability/logger';
import { installTemporalLogging } from '../observability/temporal-runtime';
import { startTracing, type Tracing } from '../observability/tracing';

// What every previewd process (worker, ingress, dev mode) does around its own work, in one
// place: config, the logger, the Temporal SDK's logging, tracing, and how it ends. Parts are
// stopped newest first, so a process winds down in the reverse of the order it came up: no new
// deliveries, then no new tasks, then the clients, the tracer and any server it started.

export type ProcessRole = 'worker' | 'ingress' | 'dev';

/** What a process's own wiring starts from. */
export interface ProcessBase {
  readonly config: PreviewdConfig;
  readonly logger: Logger;
  /** OpenTelemetry, when an OTLP endpoint is configured (`telemetry`, OTEL_EXPORTER_OTLP_ENDPOINT). */
  readonly tracing?: Tracing;
}

export interface BootstrapOptions {
  /** Defaults to loadConfig() (env vars and the optional YAML file). */
  readonly config?: PreviewdConfig;
  /** Route the Temporal SDK's logs (its own, workflows', activities') through the logger: for processes that run a worker. */
  readonly temporalLogging?: boolean;
}

interface Part {
  readonly name: string;
  readonly stop: () => Promise<void>;
}

/**
 * One process: its parts, and its end. `run` installs the signal handlers and owns the exit
 * code: 0 after a requested stop, 1 when starting failed, a part failed on its own, or the
 * stop did not finish cleanly.
 */
export class PreviewdProcess {
  private readonly parts: Part[] = [];
  private stopping = false;
  private logger?: Logger;

  /**
   * @param announce where "stopping"/"stopped" go: the JSON log (worker, ingress) or, for a
   *   person at a terminal (dev mode), a plain line on stdout.
   */
  constructor(
    readonly role: ProcessRole,
    private readonly announce: 'log' | 'stdout' = 'log',
  ) {}

  /** Config, logger, Temporal logging (before anything creates the SDK's runtime) and tracing. */
  bootstrap(options: BootstrapOptions = {}): ProcessBase {
    const config = options.config ?? loadConfig();
    const logger = createLogger({ level: config.log.level, name: `previewd-${this.role}` });
    this.logger = logger;
    if (options.temporalLogging) installTemporalLogging(logger, { coreMetricsPort: config.worker.coreMetricsPort });
    const tracing = startTracing({ telemetry: config.telemetry, role: this.role });
    if (tracing) this.onStop('tracing', () => tracing.shutdown());
    return { config, logger, tracing };
  }

  /** Registers how to stop a part that has started; parts stop newest first. */
  onStop(name: string, stop: () => Promise<void>): void {
    this.parts.push({ name, stop });
  }

  /** A part that can end on its own (the worker's run loop): when it does, the process ends, failed if it failed. */
  watch(name: string, done: Promise<void>): void {
    done.then(
      () => this.end(0),
      (err: unknown) => {
        this.say(`the ${name} stopped on its own: ${messageOf(err)}`, 'error');
        this.end(1);
      },
    );
  }

  say(text: string, level: 'info' | 'error' = 'info'): void {
    if (this.announce === 'log' && this.logger) this.logger[level](text);
    else (level === 'error' ? process.stderr : process.stdout).write(`previewd ${this.role}: ${text}\n`);
  }

  /** Runs the process: SIGINT/SIGTERM stop it; a failed start stops what had started and exits 1. */
  run(start: () => Promise<void>): void {
    const requested = () => this.end(0);
    process.once('SIGINT', requested);
    process.once('SIGTERM', requested);
    start().catch((err: unknown) => {
      // Before a logger exists there is only stderr; afterwards too, so the reason is never filtered out.
      process.stderr.write(`previewd ${this.role}: ${messageOf(err)}\n`);
      this.end(1, { quiet: true });
    });
  }

  /** Stops every part, newest first; a part that fails to stop does not keep the others running. */
  async stopAll(): Promise<void> {
    const failures: string[] = [];
    for (const part of this.parts.splice(0).reverse()) {
      try {
        await part.stop();
      } catch (err) {
        failures.push(`${part.name}: ${messageOf(err)}`);
      }
    }
    if (failures.length > 0) throw new Error(failures.join('; '));
  }

  private end(code: 0 | 1, options: { quiet?: boolean } = {}): void {
    if (this.stopping) return;
    this.stopping = true;
    if (!options.quiet) this.say('stopping');
    this.stopAll().then(
      () => {
        if (!options.quiet) this.say('stopped');
        process.exit(code);
      },
      (err: unknown) => {
        this.say(`did not stop cleanly: ${messageOf(err)}`, 'error');
        process.exit(1);
      },
    );
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
