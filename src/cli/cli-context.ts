import { Client, Connection } from '@temporalio/client';
import { KubeApi, kubeConfigTransport } from '../../activities/kubernetes';
import { loadConfig, type Env, type PreviewdConfig } from '../config';
import { clientConnectionOptions } from '../temporal-client';
import { tracingClientInterceptors } from '../observability/client-tracing';
import { startTracing, type Tracing } from '../observability/tracing';
import { loadKubeConfig } from '../worker/kube-config';
import { CliError, EXIT, type CliIo } from './cli-io';

// What every command may need, created on first use: a command that needs no Temporal (replay,
// simulate) never connects, one that needs no cluster (all but verify) loads no kubeconfig, and
// one that needs no config file never reads it.

export interface GlobalOptions {
  readonly config?: string;
  readonly address?: string;
  readonly namespace?: string;
}

export interface CliContextOptions {
  readonly io: CliIo;
  /** Defaults to process.env (read by the config loader only). */
  readonly env?: Env;
}

export class CliContext {
  private loaded?: PreviewdConfig;
  private connection?: Connection;
  private tracing?: Tracing;
  private globals: GlobalOptions = {};

  constructor(private readonly options: CliContextOptions) {}

  get io(): CliIo {
    return this.options.io;
  }

  setGlobals(globals: GlobalOptions): void {
    this.globals = globals;
  }

  config(): PreviewdConfig {
    if (!this.loaded) {
      const base = loadConfig({ env: this.options.env, file: this.globals.config });
      // Command-line flags win over file and environment, for pointing at another server ad hoc.
      this.loaded = {
        ...base,
        temporal: { ...base.temporal, ...(this.globals.address && { address: this.globals.address }), ...(this.globals.namespace && { namespace: this.globals.namespace }) },
      };
    }
    return this.loaded;
  }

  /** The cluster previewd works on (kubernetes.kubeconfig / context), read-only use. */
  kube(): KubeApi {
    return new KubeApi(kubeConfigTransport(loadKubeConfig(this.config().kubernetes)));
  }

  async client(): Promise<Client> {
    const { temporal, telemetry } = this.config();
    if (!this.connection) {
      // With tracing configured, a command's signal (extend, destroy, simulate) starts the trace the workflow continues.
      this.tracing = startTracing({ telemetry, role: 'cli' });
      try {
        this.connection = await Connection.connect({ ...clientConnectionOptions(temporal), connectTimeout: 5_000 });
      } catch (err) {
        throw new CliError(`cannot reach Temporal at ${temporal.address}: ${(err as Error).message} (set PREVIEWD_TEMPORAL_ADDRESS or --address)`, EXIT.failed);
      }
    }
    return new Client({ connection: this.connection, namespace: temporal.namespace, interceptors: tracingClientInterceptors(this.tracing) });
  }

  async close(): Promise<void> {
    await this.connection?.close();
    // Spans are batched: exported now, before the process exits.
    await this.tracing?.shutdown();
  }
}
