import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ENV_BINDINGS } from '../../../src/config';
import { startProcess, type ManagedProcess } from '../../../src/dev/managed-process';

// The worker as it runs in production: its own process (`src/worker/main.ts`), configured by a
// YAML file, so a SIGKILL takes down the Temporal worker, its sticky cache and every activity
// in flight at once, and a restart starts from nothing.

const ROOT = resolve(__dirname, '../../..');
const STARTED = /"msg":"worker started"/;
const START_TIMEOUT_MS = 90_000;

/** Writes the worker's config file; `config` is previewd's config shape (docs/config.md). */
export function writeWorkerConfig(dir: string, name: string, config: Record<string, unknown>): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(config));
  return file;
}

/** previewd's config variables, blanked (an empty variable counts as unset) so only the file configures the worker. */
function blankConfigEnv(): Record<string, string> {
  const names = [...ENV_BINDINGS.map((b) => b.name), 'PREVIEWD_CONFIG', 'PREVIEWD_GITHUB_TOKEN', 'PREVIEWD_GITHUB_APP_ID', 'PREVIEWD_GITHUB_WEBHOOK_SECRET'];
  return Object.fromEntries(names.map((n) => [n, '']));
}

export interface WorkerExit {
  readonly at: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** False when the worker went away by itself (not killed or stopped by the test). */
  readonly byTest: boolean;
}

export class WorkerProcess {
  private current: ManagedProcess | undefined;
  private endingByTest = false;
  readonly exits: WorkerExit[] = [];
  starts = 0;
  kills = 0;
  /** When the current process was spawned. */
  startedAt = 0;

  constructor(
    private readonly name: string,
    private readonly configFile: string,
    private readonly logDir: string,
  ) {}

  get running(): boolean {
    return this.current !== undefined && this.current.child.exitCode === null && this.current.child.signalCode === null;
  }

  /** Exits the worker chose itself (a crash, or giving up on an unreachable server). */
  get unexpectedExits(): WorkerExit[] {
    return this.exits.filter((e) => !e.byTest);
  }

  /** Starts the process and resolves once it logs `worker started` (workflows bundled, polling). */
  async start(): Promise<number> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const began = Date.now();
    this.startedAt = began;
    this.starts += 1;
    this.endingByTest = false;
    const proc = startProcess(`${this.name}`, process.execPath, ['-r', '@swc-node/register', 'src/worker/main.ts'], {
      logDir: this.logDir,
      cwd: ROOT,
      env: { ...blankConfigEnv(), PREVIEWD_CONFIG: this.configFile },
    });
    this.current = proc;
    proc.child.once('exit', (code, signal) => {
      this.exits.push({ at: Date.now(), code, signal, byTest: this.endingByTest });
    });
    await new Promise<void>((resolvePromise, reject) => {
      let seen = '';
      const timer = setTimeout(() => done(new Error(`${this.name} did not start within ${START_TIMEOUT_MS} ms; see ${proc.logFile}`)), START_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        seen = (seen + chunk.toString()).slice(-4096);
        if (STARTED.test(seen)) done();
      };
      const onExit = () => done(new Error(`${this.name} exited before it started; log tail:\n${tail(proc.logFile)}`));
      const done = (err?: Error) => {
        clearTimeout(timer);
        proc.child.stdout?.off('data', onData);
        proc.child.off('exit', onExit);
        if (err) reject(err);
        else resolvePromise();
      };
      proc.child.stdout?.on('data', onData);
      proc.child.once('exit', onExit);
    });
    return Date.now() - began;
  }

  /** SIGKILL to the worker's process group: no shutdown, no goodbye to the server. */
  async kill(): Promise<void> {
    const proc = this.current;
    if (!proc || !this.running) return;
    this.kills += 1;
    this.endingByTest = true;
    const exited = new Promise<void>((r) => proc.child.once('exit', () => r()));
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
    await exited;
  }

  /** Graceful stop (SIGTERM, then SIGKILL after 10 s), for the end of a scenario. */
  async stop(): Promise<void> {
    if (!this.current) return;
    this.endingByTest = true;
    await this.current.stop();
  }

  get logFile(): string | undefined {
    return this.current?.logFile;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}
